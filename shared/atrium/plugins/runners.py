"""The plugins context's runner: the function plugins run in (``runner.py``), which holds no table grant."""

from typing import Any

from atrium.kernel.grants import Grant
from atrium.kernel.runners import RunnerSpec


def run_hook(request: dict[str, Any]) -> dict[str, Any]:
    from atrium.plugins import runner  # the runtime (wasmtime) loads in the runner's function alone

    return runner.run_hook(request)


RUN_HOOK = RunnerSpec(
    name="plugins.run_hook",
    description="Run a hook of a tenant's plugins, each sandboxed with the powers it was granted.",
    handler=run_hook,
    grants=frozenset({Grant.PLUGIN_STORE, Grant.FILES_READ}),
    timeout_seconds=60,
    layers=frozenset({"plugins"}),
)

RUNNERS = [RUN_HOOK]
