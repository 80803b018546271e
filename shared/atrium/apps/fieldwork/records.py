"""What every fieldwork record shares: reading one by its prefixed id, the If-Match check, a change written with its
audit entry and event, and the count of children a parent keeps so it is not deleted from under them.

A child's creation adds one to its parent's count and version in the same transaction, on the condition that the
parent exists: a parent deleted meanwhile fails the child, and a parent's delete (checked at the version it read)
fails if a child was added since.
"""

from typing import Literal, NamedTuple, TypeVar

from pydantic import BaseModel
from pynamodb.attributes import NumberAttribute

from atrium.kernel import clock, ids
from atrium.kernel.errors import AtriumError, Conflict, NotFound, PreconditionFailed
from atrium.kernel.events.catalog import EventType
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.models import TenantEntity
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import Principal

E = TypeVar("E", bound=TenantEntity)
S = TypeVar("S", bound=BaseModel)
Change = Literal["created", "updated", "deleted"]


class Lifecycle(NamedTuple):
    """A record's event types."""

    created: EventType
    updated: EventType
    deleted: EventType

    def of(self, change: Change) -> EventType:
        return {"created": self.created, "updated": self.updated, "deleted": self.deleted}[change]


def not_found(model: type[TenantEntity], record_id: str) -> NotFound:
    return NotFound(f"{model.type_name().lower()} {record_id} not found")


def load(model: type[E], prefix: str, tenant_id: str, record_id: str, *, consistent: bool = False) -> E:
    """The record, or 404 (an id of another kind or shape names nothing, without a read)."""
    if not ids.is_valid_id(record_id, prefix):
        raise not_found(model, record_id)
    return model.load(tenant_id, record_id, consistent=consistent)


def check_customer(principal: Principal, customer_id: str, model: type[TenantEntity], record_id: str) -> None:
    """404 for a caller confined to another customer (a ``customer`` role's member: ``Principal.scope``), as for a
    record that does not exist: a customer user learns nothing of another customer's records."""
    if principal.scope is not None and principal.scope != customer_id:
        raise not_found(model, record_id)


def check_version(item: TenantEntity, expected: int) -> None:
    if item.version != expected:
        raise PreconditionFailed(f"the {item.type_name().lower()} has changed since you read it; read it again")


def apply(item: TenantEntity, change: BaseModel) -> None:
    """Set the fields ``change`` gives (left out or null: kept)."""
    for name, value in change.model_dump(exclude_none=True, mode="json").items():
        setattr(item, name, value)


def shown(schema: type[S], item: TenantEntity) -> S:
    """The record as the API (and its events) show it: its attributes, as ``schema`` names them."""
    values = {name: getattr(item, name, None) for name in schema.model_fields}
    return schema.model_validate(values | {"created_at": clock.iso(item.created_at),
                                           "updated_at": clock.iso(item.updated_at)})


def count_child(uow: UnitOfWork, parent: TenantEntity, counter: NumberAttribute, by: int, *,
                missing: AtriumError) -> None:
    """Add ``by`` to the ``counter`` of ``parent`` (an unsaved item with its key attributes) in ``uow`` (an update
    adds one to the version too), or fail it with ``missing`` when the parent does not exist."""
    uow.update(parent, [counter.add(by)], condition=type(parent).pk.exists(), conflict=missing)


def hold_unique(uow: UnitOfWork, field: str, value: str, *, held: str, owner_id: str, conflict: AtriumError) -> None:
    """Have ``owner_id`` hold ``value`` of ``field`` instead of the value it ``held``, if that changed; ``conflict``
    when another holds ``value``."""
    if value != held:
        uow.release_unique(field, held, owner_id=owner_id)
        uow.claim_unique(field, value, owner_id=owner_id, conflict=conflict)


def check_childless(item: TenantEntity, count: float, children: str) -> None:
    if count:
        raise Conflict(f"the {item.type_name().lower()} still has {int(count)} {children}; delete them first")


def commit(uow: UnitOfWork, item: TenantEntity, change: Change, event: EventType, name: str,
           data: type[BaseModel]) -> None:
    """Write the record as it now stands (``change``: created, saved or deleted) with the audit entry and ``event``,
    whose data is the record as ``data`` shows it; ``uow`` may hold other items."""
    stage(uow, item, change, event, name, data)
    uow.commit()


def stage(uow: UnitOfWork, item: TenantEntity, change: Change, event: EventType, name: str,
          data: type[BaseModel]) -> None:
    """``commit`` without committing: for a change another feature's transaction carries."""
    item.updated_at = clock.now()
    if change == "created":
        uow.create(item, conflict=Conflict("id collision; retry"))
    elif change == "deleted":
        uow.delete(item)
    else:
        uow.save(item)
    announce(uow, item, event, name, data)


def announce(uow: UnitOfWork, item: TenantEntity, event: EventType, name: str, data: type[BaseModel]) -> None:
    """Audit and emit ``event`` with the record as it now stands: ``stage`` does, and so does a change with a second
    event."""
    uow.record(event.name, subject=Ref(type=item.type_name().lower(), id=item.id, name=name),
               data=shown(data, item).model_dump(mode="json"))
