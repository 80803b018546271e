"""A write is one transaction: entity changes, their audit entry and their domain event.

    uow = UnitOfWork(tenant_id, actor)
    uow.create(tenant, conflict=Conflict("..."))
    uow.record("tenant.created", subject=Ref(...), data={...})
    uow.commit()        # one TransactWriteItems, or nothing happens

Conditional failures map back to the operation that failed and raise its domain error.
A failed call is not proof that nothing happened: botocore retries a transaction whose answer
was lost, so before reporting a failure the unit of work checks whether its write landed.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from botocore.exceptions import BotoCoreError
from pynamodb.exceptions import PynamoDBException, TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from atrium.kernel import clock, ids
from atrium.kernel.errors import AtriumError, Conflict, PreconditionFailed, Unavailable
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.events.outbox import OutboxItem
from atrium.kernel.store import screening
from atrium.kernel.store.audit import MAX_METADATA_BYTES, AuditItem, RefAttribute, canonical_json
from atrium.kernel.store.guards import UniqueValue
from atrium.kernel.store.models import Item
from atrium.kernel.store.writes import exists

# DynamoDB's limit on items in one TransactWriteItems.
MAX_TRANSACTION_ITEMS = 100
# The order in which PynamoDB sends each kind of operation; cancellation reasons follow it.
_KIND_ORDER = ("delete", "put", "update")
# Errors left after botocore's retries that say "not now", not "never": the caller should retry (503).
_TRANSIENT_CODES = frozenset({
    "InternalServerError", "ServiceUnavailable", "ProvisionedThroughputExceededException", "ThrottlingException",
    "RequestLimitExceeded", "TransactionInProgressException",
})


@dataclass(frozen=True)
class RequestInfo:
    """Where a change came from, kept on its audit entry."""

    ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None

    def as_map(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v is not None}


_Kind = Literal["delete", "put", "update"]


@dataclass
class _Operation:
    kind: _Kind
    item: Item
    condition: Any
    on_conflict: AtriumError
    # Items written without being read first (guards, counters) carry no version to check.
    versioned: bool = True
    actions: list[Action] = field(default_factory=list)  # an update's


@dataclass
class UnitOfWork:
    tenant_id: str
    actor: Ref
    request: RequestInfo = field(default_factory=RequestInfo)
    _operations: list[_Operation] = field(default_factory=list)
    _audit: AuditItem | None = None
    _found: Counter[screening.Finding] = field(default_factory=Counter)  # in the free text put (``screening``)
    _committed: list[Callable[[], None]] = field(default_factory=list)

    def create(self, item: Item, *, conflict: AtriumError) -> None:
        """Put an item that must not exist yet (new entity or uniqueness guard)."""
        self._found += screening.screen_item(self.tenant_id, item)
        self._add("put", item, Item.pk.does_not_exist(), conflict)

    def claim_unique(self, field: str, value: str, *, owner_id: str, conflict: AtriumError,
                     expires_at: datetime | None = None) -> None:
        """Take ``value`` of ``field`` in this tenant, or fail the whole transaction with ``conflict``.

        ``expires_at`` lets the table's TTL free the value together with an owner that expires the same way."""
        self.create(UniqueValue(tenant_id=self.tenant_id, field=field, value=value, owner_id=owner_id,
                                expires_at=expires_at), conflict=conflict)

    def release_unique(self, field: str, value: str, *, owner_id: str) -> None:
        """Free a value this owner holds (rename, delete); fails if another owner holds it."""
        guard = UniqueValue(tenant_id=self.tenant_id, field=field, value=value, owner_id=owner_id)
        self._add("delete", guard, UniqueValue.owner_id == owner_id,
                  Conflict(f"{field} {value!r} is not held by {owner_id}"), versioned=False)

    def save(self, item: Item) -> None:
        """Put an existing item; its version must still be the one that was read."""
        self._found += screening.screen_item(self.tenant_id, item)
        self._add("put", item, None, _changed(item))

    def delete(self, item: Item) -> None:
        self._add("delete", item, None, _changed(item))

    def discard(self, item: Item) -> None:
        """Delete ``item`` whatever its version, or nothing if it does not exist (state that only matters while
        it lasts)."""
        self._add("delete", item, None, Conflict("unreachable: an unconditional delete"), versioned=False)

    def update(self, item: Item, actions: list[Action], *, condition: Any, conflict: AtriumError) -> None:
        """Change attributes of ``item`` in place, whether or not it exists (an atomic counter), or fail the whole
        transaction with ``conflict`` when ``condition`` does not hold."""
        self._add("update", item, condition, conflict, versioned=False, actions=actions)

    def record(self, action: str, *, subject: Ref, data: dict[str, Any], metadata: dict[str, Any] | None = None,
               emit: bool = True, outcome: Literal["success", "denied"] = "success",
               also_affects: Sequence[Ref] = ()) -> Envelope:
        """Audit ``action`` on ``subject`` (and ``also_affects``) and, by default, emit it as a domain
        event of the same type."""
        metadata_json = canonical_json(metadata or {})
        if len(metadata_json.encode()) > MAX_METADATA_BYTES:
            raise ValueError(f"audit metadata is limited to {MAX_METADATA_BYTES} bytes of JSON")
        envelope = Envelope(
            id=ids.new_id("evt"), type=action, tenant_id=self.tenant_id, occurred_at=clock.now(),
            actor=self.actor, subject=subject, data=data,
        )
        targets = [subject, *also_affects]
        audit = AuditItem(
            tenant_id=self.tenant_id, id=ids.new_id("aud"), action=action, created_at=envelope.occurred_at,
            actor=_ref_attribute(self.actor), targets=[_ref_attribute(t) for t in targets],
            target_keys={f"{t.type}:{t.id}" for t in targets},
            context=self.request.as_map(), metadata_json=metadata_json, outcome=outcome,
        )
        audit.fold()
        self._add("put", audit, Item.pk.does_not_exist(), Conflict("audit entry collision"))
        if emit:
            self._add("put", OutboxItem.of(envelope), Item.pk.does_not_exist(), Conflict("event id collision"))
        self._audit = audit
        return envelope

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the transaction has landed (state of this process that the commit outdates)."""
        self._committed.append(callback)

    def commit(self) -> None:
        if self._audit is None:
            raise RuntimeError("a unit of work must record its change (audit entry) before commit")
        if self._found:
            found, self._found = self._found, Counter()
            screening.count(self, found)
        ordered = sorted(self._operations, key=lambda op: _KIND_ORDER.index(op.kind))
        try:
            with TransactWrite(connection=Item._get_connection().connection) as tx:
                for op in ordered:
                    if op.kind == "put":
                        tx.save(op.item, condition=op.condition)
                    elif op.kind == "update":
                        tx.update(op.item, list(op.actions), condition=op.condition, add_version_condition=False)
                    else:
                        tx.delete(op.item, condition=op.condition, add_version_condition=op.versioned)
        except TransactWriteError as error:
            if not _landed(self._audit):
                raise _domain_error(error, ordered) from error
            for op in ordered:  # what TransactWrite does after a commit it saw succeed
                if op.kind == "put":
                    op.item.update_local_version_attribute()  # type: ignore[no-untyped-call]
        for callback in self._committed:
            callback()

    def _add(self, kind: _Kind, item: Item, condition: Any, conflict: AtriumError, *, versioned: bool = True,
             actions: list[Action] | None = None) -> None:
        if len(self._operations) >= MAX_TRANSACTION_ITEMS:
            raise ValueError(f"a transaction holds at most {MAX_TRANSACTION_ITEMS} items")
        item.assign_keys()  # a delete reads the key as it stands; a new item has none yet
        self._operations.append(_Operation(kind, item, condition, conflict, versioned, actions or []))


def _ref_attribute(ref: Ref) -> RefAttribute:
    return RefAttribute(type=ref.type, id=ref.id, name=ref.name)  # type: ignore[no-untyped-call]


def _changed(item: Item) -> PreconditionFailed:
    return PreconditionFailed(f"{item.type_name().lower()} was changed by another request")


def _landed(audit: AuditItem) -> bool:
    """Whether the transaction went through although the call failed.

    A lost answer (timeout, 5xx) makes botocore send the transaction again, and the retry fails
    on the first attempt's own writes (ConditionalCheckFailed) or fails too. The audit entry's id
    is new to this unit of work, so finding the entry proves the first attempt committed.
    """
    try:
        return exists(audit)
    except PynamoDBException as error:
        raise Unavailable("the database did not confirm the write; retry") from error


def _domain_error(error: TransactWriteError, ordered: list[_Operation]) -> Exception:
    for op, reason in zip(ordered, error.cancellation_reasons, strict=False):
        if reason is not None and reason.code == "ConditionalCheckFailed":
            return op.on_conflict
    if any(reason is not None and reason.code == "TransactionConflict" for reason in error.cancellation_reasons):
        return Conflict("a concurrent request changed the same data; retry")
    if isinstance(error.cause, BotoCoreError) or error.cause_response_code in _TRANSIENT_CODES:
        return Unavailable("the database is busy or unreachable; retry")
    return error
