"""Which contexts exist, and lookups over their declarations.

Declarations live in each context (``routes.py``, ``consumers.py``, ``schedules.py``, ``jobs.py``, ``runners.py``,
``events.py``, ``resources.py``, ``roles.py``, ``usage_counts.py``, ``metered_events.py``, ``billing_contacts.py``,
``retention_rules.py``, ``tenant_directory.py``, ``personal_data.py``, ``plugin_hooks.py``, in its package or a
feature folder; and ``testing.py`` for the tests and the bench, which stays out of the Lambda layer); this list is
the only place that names the contexts. A function's entry imports only its own context's modules of one kind, so
cold start stays per function.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Callable, Iterator
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a function's entry pays only for the kind of declaration it looks up
    from atrium.billing.api import MeteredEvent
    from atrium.identity.api import Admin
    from atrium.kernel.consumers import ConsumerSpec
    from atrium.kernel.events.catalog import EventType
    from atrium.kernel.events.schedules import ScheduleSpec
    from atrium.kernel.http.routing import RouteSpec
    from atrium.kernel.jobs import JobKind
    from atrium.kernel.personal_data import PersonalDataProvider
    from atrium.kernel.resources import Resource
    from atrium.kernel.retention import RetentionRule
    from atrium.kernel.runners import RunnerSpec
    from atrium.kernel.store.models import TenantEntity
    from atrium.kernel.tenancy import TenantDirectory
    from atrium.kernel.testing import CallBudget, IdFactory, RequestSetup
    from atrium.plugins.api import SyncHook

CONTEXTS: dict[str, str] = {
    "system": "atrium.system",
    "identity": "atrium.identity",
    "audit": "atrium.audit",
    "jobs": "atrium.jobs",
    "mail": "atrium.mail",
    "webhooks": "atrium.webhooks",
    "billing": "atrium.billing",
    "compliance": "atrium.compliance",
    "plugins": "atrium.plugins",
    "proofs": "atrium.apps.proofs",
    "fieldwork": "atrium.apps.fieldwork",
}


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


def _modules(package: str, kind: str) -> Iterator[ModuleType]:
    """Every module called ``kind`` (``routes``, ``consumers``...) in ``package`` or a feature folder of it, at
    any depth, imported one at a time: a lookup by name stops at the first module that declares it."""
    for name in (f"{sub}.{kind}" for sub in _packages(package)):
        if find_spec(name):
            yield import_module(name)


def _declared(kind: str) -> Iterator[ModuleType]:
    """The ``kind`` modules of every installed context."""
    for package in CONTEXTS.values():
        yield from _modules(package, kind)


@cache
def package_of(name: str) -> str:
    """The package holding the declaration ``name``: its namespace (``identity`` in ``identity.login``) is a
    context, or a feature folder of one that names its own declarations (``account`` in ``identity/account``)."""
    namespace = name.split(".", 1)[0]
    if namespace in CONTEXTS:
        return CONTEXTS[namespace]
    for package in CONTEXTS.values():
        spec = find_spec(f"{package}.{namespace}")
        if spec is not None and spec.submodule_search_locations is not None:  # a folder, not a module so named
            return f"{package}.{namespace}"
    raise LookupError(f"unknown context in {name!r}")


def routes() -> list[RouteSpec]:
    """Every route, for an app that holds them all (the local stack, the spec, the infra); their services
    load now, as such an app serves requests from threads (see ``kernel.lazy``)."""
    from atrium.kernel.lazy import load_deferred

    specs = [spec for m in _declared("routes") for spec in m.router.specs]
    load_deferred()
    return specs


def route(operation_id: str) -> RouteSpec:
    for module in _modules(package_of(operation_id), "routes"):
        for spec in module.router.specs:
            if spec.operation_id == operation_id:
                found: RouteSpec = spec
                return found
    raise LookupError(f"no route {operation_id}")


def consumers() -> list[ConsumerSpec[Any]]:
    """The contexts' consumers (of events, topics and tasks), then one per job kind (``jobs.<kind>``)."""
    from atrium.jobs.runner import consumer_spec

    declared = [spec for m in _declared("consumers") for spec in m.CONSUMERS]
    return declared + [consumer_spec(kind) for kind in job_kinds()]


def consumer(name: str) -> ConsumerSpec[Any]:
    if name.startswith("jobs."):  # a job kind's consumer: only the kind's own context is imported
        from atrium.jobs.runner import consumer_spec

        return consumer_spec(job_kind(name.split(".", 1)[1]))
    spec: ConsumerSpec[Any] = _named(name, "consumers", "CONSUMERS", "consumer")
    return spec


def _named(name: str, kind: str, declared: str, what: str) -> Any:
    """The declaration called ``name`` in its context's ``kind`` modules (list ``declared``)."""
    for module in _modules(package_of(name), kind):
        for spec in getattr(module, declared, []):
            if spec.name == name:
                return spec
    raise LookupError(f"no {what} {name}")


def schedules() -> list[ScheduleSpec]:
    return [spec for m in _declared("schedules") for spec in m.SCHEDULES]


def schedule(name: str) -> ScheduleSpec:
    spec: ScheduleSpec = _named(name, "schedules", "SCHEDULES", "schedule")
    return spec


def runners() -> list[RunnerSpec]:
    """Functions a context calls and waits for (``RUNNERS`` in its ``runners.py``)."""
    return [spec for m in _declared("runners") for spec in m.RUNNERS]


def runner(name: str) -> RunnerSpec:
    spec: RunnerSpec = _named(name, "runners", "RUNNERS", "runner")
    return spec


def plugin_hooks() -> list[SyncHook]:
    """The synchronous plugin hooks apps declare (``PLUGIN_HOOKS`` in their ``plugin_hooks.py``)."""
    return [hook for m in _declared("plugin_hooks") for hook in m.PLUGIN_HOOKS]


def job_kinds() -> list[JobKind]:
    """Job kinds, declared as ``JOB_KINDS`` in a context's ``jobs.py``."""
    return [kind for m in _declared("jobs") for kind in getattr(m, "JOB_KINDS", [])]


def job_kind(name: str) -> JobKind:
    kind: JobKind = _named(name, "jobs", "JOB_KINDS", "job kind")
    return kind


def resources() -> list[Resource]:
    """The kernel's resources, then the contexts' (``RESOURCES`` in their ``resources.py``)."""
    from atrium.kernel.resources import RESOURCES

    declared = [*RESOURCES, *(resource for m in _declared("resources") for resource in m.RESOURCES)]
    names = [resource.name for resource in declared]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise ValueError(f"resources declared twice: {duplicated}")
    return declared


def protected_models() -> list[type[TenantEntity]]:
    """Every tenant-owned model with personal or secret attributes (``kernel/store/protection.py``), from the
    contexts' ``models`` modules, by type name."""
    from atrium.kernel.store.models import TenantEntity
    from atrium.kernel.store.protection import protected

    for _ in _declared("models"):
        pass  # imported: their classes are now subclasses
    found, pending = set(), [TenantEntity]
    while pending:
        for model in pending.pop().__subclasses__():
            pending.append(model)
            if protected(model):
                found.add(model)
    return sorted(found, key=lambda model: model.type_name())


def role_grants() -> list[dict[str, frozenset[str]]]:
    """What each context grants the built-in roles (``ROLE_GRANTS`` in its ``roles.py``: role -> permissions)."""
    return [m.ROLE_GRANTS for m in _declared("roles") if hasattr(m, "ROLE_GRANTS")]


def role_scopes() -> list[dict[str, str]]:
    """Roles confined to one record of an app (``ROLE_SCOPES`` in its ``roles.py``: role -> the record's id prefix)."""
    return [m.ROLE_SCOPES for m in _declared("roles") if hasattr(m, "ROLE_SCOPES")]


def usage_counts() -> dict[str, Callable[[str], int]]:
    """How to count what a tenant uses now of a plan limit, by the limit's name (``USAGE_COUNTS`` in a context's
    ``usage_counts.py``: limit -> a function of the tenant id, called in its scope); the billing context reports
    it beside the plan's limits."""
    return {limit: count for m in _declared("usage_counts") for limit, count in m.USAGE_COUNTS.items()}


def usage_events() -> dict[str, tuple[str, ...]]:
    """The events after which a usage count may have changed, by the limit's name (``USAGE_EVENTS`` in a context's
    ``usage_counts.py``, if it declares any): billing keeps Stripe's seat quantity on them."""
    return {limit: tuple(types) for m in _declared("usage_counts")
            for limit, types in getattr(m, "USAGE_EVENTS", {}).items()}


def metered_events() -> list[MeteredEvent]:
    """The events metering counts (``METERED_EVENTS`` in a context's ``metered_events.py``: event type, meter,
    quantity), so the billing context names no app's events."""
    return [metered for m in _declared("metered_events") for metered in m.METERED_EVENTS]


def billing_contacts() -> Callable[[str], list[Admin]]:
    """Who hears about a tenant's payments: the one ``BILLING_CONTACTS`` declared in a context's
    ``billing_contacts.py`` (identity's: its billing members, else its admins), so the billing context, which
    identity builds on (its seats), reads no members itself."""
    (contacts,) = [m.BILLING_CONTACTS for m in _declared("billing_contacts")]
    found: Callable[[str], list[Admin]] = contacts
    return found


def retention_rules() -> list[RetentionRule]:
    """How long each kind of a tenant's data may be kept (``RETENTION_RULES`` in a context's ``retention_rules.py``),
    by name."""
    return sorted((rule for m in _declared("retention_rules") for rule in m.RETENTION_RULES), key=lambda r: r.name)


def tenant_directory() -> TenantDirectory:
    """The tenants: the one ``TENANT_DIRECTORY`` declared in a context's ``tenant_directory.py`` (identity's), so the
    compliance context, which identity builds on (its operators rotate data keys), lists and makes tenants
    without importing it."""
    (directory,) = [m.TENANT_DIRECTORY for m in _declared("tenant_directory")]
    found: TenantDirectory = directory
    return found


def personal_data_providers() -> list[PersonalDataProvider]:
    """What each context holds about a person, to export and erase (``PROVIDERS`` in its ``personal_data.py``)."""
    return [provider for m in _declared("personal_data") for provider in m.PROVIDERS]


def event_types() -> list[EventType]:
    return [spec for m in _declared("events") for spec in m.EVENT_TYPES]


def path_ids() -> dict[str, IdFactory]:
    """A factory per path parameter name, making such a resource in a tenant (``PATH_IDS`` in ``testing.py``)."""
    return _testing("PATH_IDS", of_operations=False)


def bench_requests() -> dict[str, RequestSetup]:
    """How to set up a request of an operation that needs more than a bare one (``BENCH_REQUESTS``)."""
    return _testing("BENCH_REQUESTS", of_operations=True)


def call_budgets() -> dict[str, CallBudget]:
    """Operations allowed more DynamoDB calls than the rule (``AWS_CALL_BUDGETS``), by operation id; the key
    ``<operation id> + Idempotency-Key`` is the budget of its requests with that header."""
    return _testing("AWS_CALL_BUDGETS", of_operations=True)


def _testing(declared: str, *, of_operations: bool) -> dict[str, Any]:
    """The ``declared`` mappings of every ``testing.py``, merged: a key declared twice, or (``of_operations``) one
    naming no operation of the context's own routes, is an error."""
    merged: dict[str, Any] = {}
    for context, package in CONTEXTS.items():
        own = {spec.operation_id for m in _modules(package, "routes") for spec in m.router.specs}
        for module in _modules(package, "testing"):
            for key, value in getattr(module, declared, {}).items():
                if key in merged:
                    raise LookupError(f"{module.__name__}.{declared}: {key!r} is declared twice")
                if of_operations and key.split(" + ")[0] not in own:
                    raise LookupError(f"{module.__name__}.{declared}: {key!r} is not an operation of {context}")
                merged[key] = value
    return merged
