"""The caller's tenant's email branding: read it, replace it (If-Match, audited)."""

from dataclasses import dataclass

from pydantic import ValidationError

from atrium.kernel.errors import NotFound, PreconditionFailed
from atrium.kernel.events.envelope import Ref
from atrium.kernel.observability import logger
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of
from atrium.mail.branding import Branding
from atrium.mail.models import BrandingItem


@dataclass(frozen=True)
class VersionedBranding:
    body: Branding
    version: int  # 0 until the tenant first sets its branding


def branding_of(item: BrandingItem | None) -> Branding:
    """The stored branding; a field stored under older rules that today's refuse reads as unset (its default),
    so no stored value can stop a mail from being composed."""
    if item is None:
        return Branding()
    stored = {"sender_name": item.sender_name, "brand_color": item.brand_color, "logo_url": item.logo_url}
    try:
        return Branding.model_validate(stored)
    except ValidationError as error:
        refused = {str(problem["loc"][0]) for problem in error.errors()}
        logger.warning("stored branding refused by today's rules; defaults used", extra={"fields": sorted(refused)})
        return Branding.model_validate({name: value for name, value in stored.items() if name not in refused})


def _item(tenant_id: str, *, consistent: bool) -> BrandingItem | None:
    try:
        return BrandingItem.load(tenant_id, tenant_id, consistent=consistent)
    except NotFound:
        return None


def get_branding(principal: Principal) -> VersionedBranding:
    item = _item(principal.tenant_id, consistent=False)
    return VersionedBranding(branding_of(item), (item.version or 0) if item else 0)


def put_branding(principal: Principal, change: Branding, expected_version: int, info: RequestInfo) -> VersionedBranding:
    tenant_id = principal.tenant_id
    item = _item(tenant_id, consistent=True) or BrandingItem(tenant_id=tenant_id, id=tenant_id)
    if (item.version or 0) != expected_version:
        raise PreconditionFailed("the branding has changed since you read it; read it again")
    item.sender_name, item.brand_color = change.sender_name, change.brand_color
    item.logo_url = str(change.logo_url) if change.logo_url else None
    uow = UnitOfWork(tenant_id, actor_of(principal), info)
    uow.save(item)
    uow.record("tenant.branding_updated", subject=Ref(type="tenant", id=tenant_id),
               data=change.model_dump(mode="json"), emit=False)
    uow.commit()
    return VersionedBranding(branding_of(item), item.version or 0)
