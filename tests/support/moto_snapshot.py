"""A moto world provisioned once per test process, and put back as it was before each test.

Provisioning every declared resource costs about a second of botocore calls; copying moto's in-memory state
back costs a few milliseconds. ``take`` copies every region backend moto holds (DynamoDB, SQS, S3, SES,
Secrets Manager, EventBridge, Scheduler, ...), in one deep copy so references between them survive;
``restore`` installs a fresh copy of that state and drops whatever a test created besides, so no test sees
another's items, messages, objects, mail or secrets.
"""

import copy
import copyreg
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from moto.core.base_backend import AccountSpecificBackend, BackendDict

Place = tuple[BackendDict[Any], str, str]  # (service, account, region)
# What ``deepcopy`` cannot copy, and how a copy is made instead: new and unheld.
_FRESH: dict[type, Any] = {type(threading.Lock()): threading.Lock, type(threading.RLock()): threading.RLock,
                           threading.Condition: threading.Condition}


def _made_by(make: Any, _original: object) -> tuple[Any, tuple[()]]:
    return make, ()


@contextmanager
def _locks_copied_as_new() -> Iterator[None]:
    """moto's queues and objects hold locks, which ``deepcopy`` refuses (or, for a condition, copies bound to
    the original lock): a copy gets a fresh, unheld one."""
    saved = {kind: copyreg.dispatch_table.get(kind) for kind in _FRESH}
    for kind, make in _FRESH.items():
        copyreg.dispatch_table[kind] = partial(_made_by, make)
    try:
        yield
    finally:
        for kind, reducer in saved.items():
            if reducer is None:
                copyreg.dispatch_table.pop(kind, None)
            else:
                copyreg.dispatch_table[kind] = reducer


def _services() -> list[BackendDict[Any]]:
    """Every service moto has made a backend for since its last reset."""
    services: list[BackendDict[Any]] = BackendDict._instances  # type: ignore[misc]
    return services


def _registries(state: dict[Place, Any]) -> dict[int, Any]:
    """A memo that keeps moto's registries out of the copy: the copy goes into the live ``BackendDict`` of
    each service, and a backend that refers to another service's registry keeps referring to the live one."""
    services = {id(service): service for service in [*_services(), *(place[0] for place in state)]}
    accounts = {id(account): account for service in services.values() for account in service.values()}
    return services | accounts


def _backends() -> dict[Place, Any]:
    return {(service, account_id, region): backend
            for service in _services()
            for account_id, account in service.items()
            for region, backend in account.items()}


def _copy(state: dict[Place, Any]) -> dict[Place, Any]:
    with _locks_copied_as_new():
        backends: dict[Place, Any] = copy.deepcopy(state, _registries(state))
    return backends


@dataclass(frozen=True)
class MotoSnapshot:
    state: dict[Place, Any]

    @classmethod
    def take(cls) -> "MotoSnapshot":
        return cls(_copy(_backends()))

    def restore(self) -> None:
        fresh = _copy(self.state)
        for service, account_id, region in _backends():
            if (service, account_id, region) not in fresh:
                account: AccountSpecificBackend[Any] = dict.__getitem__(service, account_id)
                dict.__delitem__(account, region)
        for (service, account_id, region), backend in fresh.items():
            dict.__setitem__(service[account_id], region, backend)
