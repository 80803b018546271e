"""Modules loaded at their first use, for a context's ``routes.py``.

A route function imports its context's routes module to find its one endpoint; the services behind the
context's other endpoints (mail rendering, PDF, uploads...) then cost it nothing, since a service module
only runs when an endpoint first touches it. Keep the names typed for mypy:

    if TYPE_CHECKING:
        from atrium.identity.access import api_tokens, custom_roles
    else:
        api_tokens, custom_roles = lazy_modules("atrium.identity.access", "api_tokens", "custom_roles")

Python 3.11's lazy loading is not thread-safe: an app serving requests from threads (the local stack, the
tests) must ``load_deferred()`` first, as ``manifest.routes()`` does. A Lambda takes one event at a time.
"""

import importlib.util
import sys
from types import ModuleType

_deferred: list[ModuleType] = []


def lazy_module(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)  # imports the parent package, not the module
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"no module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    _deferred.append(module)
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)  # as an import binds a submodule on its package
    return module


def lazy_modules(package: str, *names: str) -> tuple[ModuleType, ...]:
    return tuple(lazy_module(f"{package}.{name}") for name in names)


def load_deferred() -> None:
    """Run every module still waiting for its first use."""
    while _deferred:
        _deferred.pop().__name__  # noqa: B018 - any attribute access runs the module
