"""The Lambda layers, from the folders ``layers/build.sh`` writes (no bundling, no Docker): deps and domain
for every function, and one per dependency group that single functions declare (``layers=`` on their spec)."""

from collections.abc import Iterable
from pathlib import Path

from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra import sizing
from infra.constructs.function import ARCHITECTURE, RUNTIME
from infra.naming import pascal
from infra.paths import LAYERS_DIR

# The layers ship the bytecode layers/build.sh compiled for the runtime (Lambda cannot write any to a layer, so
# without it every cold start compiles what it imports); bytecode of any other Python is useless there.
_RUNTIME_BYTECODE = f"*.cpython-{sizing.PYTHON_VERSION.replace('.', '')}.pyc"
_OTHER_BYTECODE = ["**/*.pyc", f"!**/{_RUNTIME_BYTECODE}"]


def layer_dir(name: str) -> Path:
    path = LAYERS_DIR / name
    if not (path / "python").is_dir():
        raise FileNotFoundError(f"Lambda layer {name!r} is not built ({path / 'python'} is missing): run `make layers`"
                                " (or `bash layers/build.sh`) before synthesizing.")
    return path


class Layers(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, groups: Iterable[str] = ()) -> None:
        super().__init__(scope, construct_id)
        self.deps = self._layer("Deps", "deps", "Atrium runtime dependencies (from uv.lock)")
        self.domain = self._layer("Domain", "domain", "Atrium domain package (shared/atrium)")
        self.groups = {name: self._layer(pascal(name), name, f"Atrium dependency group {name} (from uv.lock)")
                       for name in sorted(groups)}

    @property
    def all(self) -> list[lambda_.ILayerVersion]:
        return [self.deps, self.domain]

    def _layer(self, construct_id: str, name: str, description: str) -> lambda_.LayerVersion:
        return lambda_.LayerVersion(
            self, construct_id,
            code=lambda_.Code.from_asset(str(layer_dir(name)), exclude=_OTHER_BYTECODE),
            compatible_runtimes=[RUNTIME], compatible_architectures=[ARCHITECTURE], description=description,
        )
