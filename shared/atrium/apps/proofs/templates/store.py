"""Reading templates and their versions, and writing a template change with its audit entry and event."""

from typing import Any

from pynamodb.exceptions import DoesNotExist

from atrium.apps.proofs.templates.models import TEMPLATE, VERSION, TemplateItem, TemplateVersionItem
from atrium.kernel import ids
from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.events.catalog import EventType
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.unit_of_work import UnitOfWork

_VERSION_NUMBER_DIGITS = 6  # as version_key writes them


def not_found(template_id: str) -> NotFound:
    return NotFound(f"template {template_id} not found")


def load(tenant_id: str, template_id: str, *, consistent: bool = False) -> TemplateItem:
    if not ids.is_valid_id(template_id, "tpl"):
        raise not_found(template_id)
    return TemplateItem.load(tenant_id, template_id, consistent=consistent)


def version_number(value: str) -> int:
    """A version named in a path: a positive number, or nothing is found."""
    if not value.isascii() or not value.isdigit() or len(value) > _VERSION_NUMBER_DIGITS or int(value) < 1:
        raise NotFound(f"template version {value} not found")
    return int(value)


def version_item(tenant_id: str, template_id: str, number: int) -> TemplateVersionItem:
    """An unsaved item with the keys of the version (to read or to write)."""
    item = TemplateVersionItem(tenant_id=tenant_id, template_id=template_id, number=number)
    item.assign_keys()
    return item


def load_version(tenant_id: str, template_id: str, number: int) -> TemplateVersionItem:
    if not ids.is_valid_id(template_id, "tpl"):
        raise not_found(template_id)
    key = version_item(tenant_id, template_id, number)
    try:
        return TemplateVersionItem.get(key.pk, key.sk)
    except DoesNotExist:
        raise NotFound(f"version {number} of template {template_id} not found") from None


def load_with_version(tenant_id: str, template_id: str, number: int) -> tuple[TemplateItem, TemplateVersionItem]:
    """The template and one of its versions, strongly consistent, in one BatchGetItem."""
    if not ids.is_valid_id(template_id, "tpl"):
        raise not_found(template_id)
    key = version_item(tenant_id, template_id, number)
    found = list(Item.batch_get([(key.pk, keys.ENTITY_SK), (key.pk, key.sk)], consistent_read=True))
    template = next((item for item in found if isinstance(item, TemplateItem)), None)
    if template is None:
        raise not_found(template_id)
    version = next((item for item in found if isinstance(item, TemplateVersionItem)), None)
    if version is None:
        raise NotFound(f"version {number} of template {template_id} not found")
    return template, version


def load_all(tenant_id: str, template_id: str) -> tuple[TemplateItem, list[TemplateVersionItem]]:
    """The template with every version, strongly consistent, in one Query of its partition."""
    if not ids.is_valid_id(template_id, "tpl"):
        raise not_found(template_id)
    pk = keys.entity_pk(tenant_id, TEMPLATE, template_id)
    items = list(Item.query(pk, Item.sk.between(keys.ENTITY_SK, f"{VERSION}$"), consistent_read=True))
    template = next((item for item in items if isinstance(item, TemplateItem)), None)
    if template is None:
        raise not_found(template_id)
    return template, [item for item in items if isinstance(item, TemplateVersionItem)]


def subject(template: TemplateItem) -> Ref:
    return Ref(type="template", id=template.id, name=template.name)


def commit(uow: UnitOfWork, template: TemplateItem, event: EventType, data: dict[str, Any], *,
           new: bool = False) -> None:
    """Write the template as it now stands with the audit entry and event; ``uow`` may hold other items."""
    if new:
        uow.create(template, conflict=Conflict("id collision; retry"))
    else:
        uow.save(template)
    uow.record(event.name, subject=subject(template), data=data)
    uow.commit()
