"""A tenant's privacy settings: what a write does with personal data found in free text (``flag``: keep it, stored
encrypted, and count it; ``redact``: store placeholders instead) and the region phone numbers written without a
country code are read in.

Writes read the settings through a per-process cache (``current``): a change reaches the function that made it at
once and the others within ``CACHE_SECONDS``.
"""

from dataclasses import dataclass

from atrium.compliance.pii.detector import DEFAULT_REGION
from atrium.compliance.pii.screening import PiiMode
from atrium.compliance.privacy.events import SETTINGS_CHANGED, PrivacySettingsChanged
from atrium.compliance.privacy.models import SETTINGS_ID, PrivacySettingsItem
from atrium.kernel.errors import NotFound, PreconditionFailed
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of
from atrium.kernel.ttl_cache import TtlCache

CACHE_SECONDS = 30


@dataclass(frozen=True)
class PrivacySettings:
    pii_mode: PiiMode = PiiMode.FLAG
    phone_region: str = DEFAULT_REGION


_cache: TtlCache[str, PrivacySettings] = TtlCache(CACHE_SECONDS)


def _stored(tenant_id: str, *, consistent: bool) -> PrivacySettingsItem | None:
    try:
        return PrivacySettingsItem.load(tenant_id, SETTINGS_ID, consistent=consistent)
    except NotFound:
        return None


def _of(item: PrivacySettingsItem | None) -> PrivacySettings:
    return PrivacySettings(PiiMode(item.pii_mode), item.phone_region) if item else PrivacySettings()


def current(tenant_id: str) -> PrivacySettings:
    """The settings a write applies: read at most once per ``CACHE_SECONDS`` per tenant and process."""
    found = _cache.get(tenant_id)
    if found is None:
        found = _of(_stored(tenant_id, consistent=False))
        _cache.put(tenant_id, found)
    return found


def read(tenant_id: str) -> tuple[PrivacySettings, int]:
    """The settings and the version to send in If-Match (0 until the tenant sets them)."""
    item = _stored(tenant_id, consistent=True)
    return _of(item), int(item.version or 0) if item else 0


def change(principal: Principal, wanted: PrivacySettings, expected_version: int,
           info: RequestInfo) -> tuple[PrivacySettings, int]:
    item = _stored(principal.tenant_id, consistent=True)
    stale = PreconditionFailed("the privacy settings were changed by another request")
    if (int(item.version or 0) if item else 0) != expected_version:
        raise stale
    previous = _of(item)
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    if item is None:
        item = PrivacySettingsItem(tenant_id=principal.tenant_id, id=SETTINGS_ID)
        item.pii_mode, item.phone_region = wanted.pii_mode.value, wanted.phone_region
        uow.create(item, conflict=stale)
    else:
        item.pii_mode, item.phone_region = wanted.pii_mode.value, wanted.phone_region
        uow.save(item)
    data = PrivacySettingsChanged(pii_mode=wanted.pii_mode, phone_region=wanted.phone_region,
                                  previous_pii_mode=previous.pii_mode, previous_phone_region=previous.phone_region)
    uow.record(SETTINGS_CHANGED, subject=Ref(type="privacy_settings", id=principal.tenant_id),
               data=data.model_dump(mode="json"))
    uow.commit()
    _cache.put(principal.tenant_id, wanted)
    return wanted, int(item.version or 0)
