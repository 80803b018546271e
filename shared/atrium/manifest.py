"""Which contexts exist, and lookups over their declarations.

Declarations live in each context (``routes.py``, ``consumers.py``, ``schedules.py``, ``jobs.py``, ``events.py``,
``resources.py``, ``roles.py``, in its package or a feature folder); this list is the only place that names the
contexts. A function's entry imports only its own context's modules of one kind, so cold start stays per function.
"""

from __future__ import annotations

import pkgutil
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a function's entry pays only for the kind of declaration it looks up
    from atrium.kernel.consumers import ConsumerSpec
    from atrium.kernel.events.catalog import EventType
    from atrium.kernel.events.schedules import ScheduleSpec
    from atrium.kernel.http.routing import RouteSpec
    from atrium.kernel.jobs import JobKind
    from atrium.kernel.resources import Resource

CONTEXTS: dict[str, str] = {
    "system": "atrium.system",
    "identity": "atrium.identity",
    "account": "atrium.account",
    "members": "atrium.members",
    "access": "atrium.access",
    "operator": "atrium.operator",
    "audit": "atrium.audit",
    "jobs": "atrium.jobs",
    "mail": "atrium.mail",
    "webhooks": "atrium.webhooks",
    "proofs": "atrium.apps.proofs",
}
# What a context's functions may import of other contexts: operators act on identity's tenants and tokens.


@cache
def _packages(package: str) -> tuple[str, ...]:
    """The package and its sub-packages at any depth (feature folders), in name order: walked once per process,
    as lookups by name (``consumer``, ``job_kind``...) run on request paths."""
    root = import_module(package)
    found = [package]
    for info in pkgutil.walk_packages(getattr(root, "__path__", []), prefix=f"{package}."):
        if info.ispkg:
            found.append(info.name)
    return tuple(sorted(found))


def _modules(context: str, kind: str) -> list[ModuleType]:
    """Every module called ``kind`` (``routes``, ``consumers``...) in the context's package or a feature folder
    of it, at any depth."""
    names = [f"{package}.{kind}" for package in _packages(CONTEXTS[context])]
    return [import_module(name) for name in names if find_spec(name)]


def _context_of(name: str) -> str:
    context = name.split(".", 1)[0]
    if context not in CONTEXTS:
        raise LookupError(f"unknown context in {name!r}")
    return context


def routes() -> list[RouteSpec]:
    """Every route, for an app that holds them all (the local stack, the spec, the infra); their services
    load now, as such an app serves requests from threads (see ``kernel.lazy``)."""
    from atrium.kernel.lazy import load_deferred

    specs = [spec for context in CONTEXTS for m in _modules(context, "routes") for spec in m.router.specs]
    load_deferred()
    return specs


def route(operation_id: str) -> RouteSpec:
    for module in _modules(_context_of(operation_id), "routes"):
        for spec in module.router.specs:
            if spec.operation_id == operation_id:
                found: RouteSpec = spec
                return found
    raise LookupError(f"no route {operation_id}")


def consumers() -> list[ConsumerSpec[Any]]:
    """The contexts' consumers (of events, topics and tasks), then one per job kind (``jobs.<kind>``)."""
    from atrium.jobs.runner import consumer_spec

    declared = [spec for context in CONTEXTS for m in _modules(context, "consumers") for spec in m.CONSUMERS]
    return declared + [consumer_spec(kind) for kind in job_kinds()]


def consumer(name: str) -> ConsumerSpec[Any]:
    context = _context_of(name)
    if context == "jobs":  # a job kind's consumer: only the kind's own context is imported
        from atrium.jobs.runner import consumer_spec

        return consumer_spec(job_kind(name.split(".", 1)[1]))
    spec: ConsumerSpec[Any] = _named(name, "consumers", "CONSUMERS", "consumer")
    return spec


def _named(name: str, kind: str, declared: str, what: str) -> Any:
    """The declaration called ``name`` in its context's ``kind`` modules (list ``declared``)."""
    for module in _modules(_context_of(name), kind):
        for spec in getattr(module, declared, []):
            if spec.name == name:
                return spec
    raise LookupError(f"no {what} {name}")


def schedules() -> list[ScheduleSpec]:
    return [spec for context in CONTEXTS for m in _modules(context, "schedules") for spec in m.SCHEDULES]


def schedule(name: str) -> ScheduleSpec:
    spec: ScheduleSpec = _named(name, "schedules", "SCHEDULES", "schedule")
    return spec


def job_kinds() -> list[JobKind]:
    """Job kinds, declared as ``JOB_KINDS`` in a context's ``jobs.py``."""
    return [kind for context in CONTEXTS for m in _modules(context, "jobs") for kind in getattr(m, "JOB_KINDS", [])]


def job_kind(name: str) -> JobKind:
    kind: JobKind = _named(name, "jobs", "JOB_KINDS", "job kind")
    return kind


def resources() -> list[Resource]:
    """The kernel's resources, then the contexts' (``RESOURCES`` in their ``resources.py``)."""
    from atrium.kernel.resources import RESOURCES

    declared = [*RESOURCES, *(resource for context in CONTEXTS for m in _modules(context, "resources")
                              for resource in m.RESOURCES)]
    names = [resource.name for resource in declared]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise ValueError(f"resources declared twice: {duplicated}")
    return declared


def role_grants() -> list[dict[str, frozenset[str]]]:
    """What each context grants the built-in roles (``ROLE_GRANTS`` in its ``roles.py``: role -> permissions)."""
    return [m.ROLE_GRANTS for context in CONTEXTS for m in _modules(context, "roles") if hasattr(m, "ROLE_GRANTS")]


def event_types() -> list[EventType]:
    return [spec for context in CONTEXTS for m in _modules(context, "events") for spec in m.EVENT_TYPES]
