"""A user's email preferences in a tenant, and the one-click unsubscribe token that switches one category off.

The token is sealed (encrypted and authenticated, Fernet) with a key derived from the platform's cursor key:
only this service can mint one, and it names exactly one user, tenant and category.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from pydantic import BaseModel, ValidationError

from atrium.kernel.config import settings
from atrium.kernel.errors import BadRequest, NotFound, Unprocessable
from atrium.kernel.events.envelope import Ref
from atrium.kernel.sealing import sealer
from atrium.kernel.secrets import read_secret
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import tenant_scope
from atrium.mail.categories import CATALOG, SWITCHABLE, Category
from atrium.mail.models import PreferencesItem
from atrium.mail.schemas import EmailPreferences

UNSUBSCRIBE_PATH = "/v1/email/unsubscribe"


class _Unsubscribe(BaseModel):
    tenant_id: str
    user_id: str
    category: Category


@lru_cache(maxsize=4)
def _sealer(key: str) -> Fernet:
    return sealer(key, purpose="email unsubscribe")


def _unsubscribe_sealer() -> Fernet:
    return _sealer(read_secret(settings().cursor_secret_id))


def unsubscribe_token(tenant_id: str, user_id: str, category: Category) -> str:
    payload = _Unsubscribe(tenant_id=tenant_id, user_id=user_id, category=category)
    return _unsubscribe_sealer().encrypt(payload.model_dump_json().encode()).decode()


def _opened(token: str) -> _Unsubscribe:
    try:
        return _Unsubscribe.model_validate_json(_unsubscribe_sealer().decrypt(token.encode()))
    except (InvalidToken, ValidationError):
        raise BadRequest("the unsubscribe link is invalid") from None


def _read(tenant_id: str, user_id: str, *, consistent: bool = True) -> PreferencesItem:
    """The user's item, or a new one (nobody chose yet: every category is on)."""
    try:
        return PreferencesItem.load(tenant_id, user_id, consistent=consistent)
    except NotFound:
        return PreferencesItem(tenant_id=tenant_id, id=user_id)


def preferences_out(item: PreferencesItem | None) -> EmailPreferences:
    opted_out = set(item.opted_out) if item else set()
    return EmailPreferences(categories={category: category not in opted_out for category in CATALOG})


def get_preferences(tenant_id: str, user_id: str) -> EmailPreferences:
    return preferences_out(_read(tenant_id, user_id, consistent=False))


def opted_out(item: PreferencesItem | None, category: Category) -> bool:
    return item is not None and category in item.opted_out


def _save(item: PreferencesItem, actor: Ref, info: RequestInfo, *, via: str) -> None:
    uow = UnitOfWork(item.tenant_id, actor, info)
    uow.save(item)
    uow.record("email_preferences.updated", subject=Ref(type="user", id=item.id),
               data={"opted_out": sorted(item.opted_out)}, metadata={"via": via}, emit=False)
    uow.commit()  # a concurrent change (another click, another PUT) fails the version check: 412


def put_preferences(tenant_id: str, user_id: str, change: EmailPreferences, info: RequestInfo) -> EmailPreferences:
    """Set every switchable category: those not named are on."""
    forced = sorted(category for category, on in change.categories.items() if not on and category not in SWITCHABLE)
    if forced:
        raise Unprocessable("these categories cannot be turned off", errors=[
            {"field": f"categories.{category}", "message": "always sent"} for category in forced])
    item = _read(tenant_id, user_id)
    item.opted_out = sorted(category.value for category, on in change.categories.items() if not on)
    _save(item, Ref(type="user", id=user_id), info, via="preferences")
    return preferences_out(item)


def unsubscribe(token: str, info: RequestInfo) -> Category:
    """Turn off the category the token names, for its user (idempotent: a second click changes nothing)."""
    wanted = _opened(token)
    with tenant_scope(wanted.tenant_id):
        item = _read(wanted.tenant_id, wanted.user_id)
        if wanted.category not in item.opted_out:
            item.opted_out = sorted({*item.opted_out, wanted.category.value})
            _save(item, Ref(type="user", id=wanted.user_id), info, via="one-click unsubscribe")
    return wanted.category
