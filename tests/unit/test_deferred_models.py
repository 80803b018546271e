"""Route functions build pydantic models on first use (``atrium.kernel.runtime.deferred_models``)."""

import subprocess
import sys

PROBE = """
import atrium.kernel.runtime.deferred_models
from fastapi.openapi.models import OpenAPI
from pydantic import BaseModel

class Probe(BaseModel):
    count: int

assert not OpenAPI.__pydantic_complete__, "FastAPI's OpenAPI models were built at import"
assert not Probe.__pydantic_complete__, "a model was built when its class was defined"
assert Probe(count="3").count == 3  # built on first use, and validates as ever
assert Probe.__pydantic_complete__
"""


def test_models_are_built_on_first_use_after_the_import() -> None:
    # A process of its own: the module changes pydantic's default for the process that imports it.
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            env={"PYTHONPATH": "shared", "PATH": ""})
    assert result.returncode == 0, result.stderr


def test_without_it_models_are_built_when_defined() -> None:
    probe = PROBE.replace("import atrium.kernel.runtime.deferred_models\n", "")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env={"PATH": ""})
    assert "FastAPI's OpenAPI models were built at import" in result.stderr
