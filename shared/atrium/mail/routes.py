"""Mail routes: a tenant's email branding, a user's email preferences, and the one-click unsubscribe link."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Query, Response

from atrium.kernel.grants import WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.routing import ETAG_HEADER, PUBLIC, SELF, ContextRouter
from atrium.kernel.lazy import lazy_modules
from atrium.kernel.permissions import TENANT_READ, TENANT_UPDATE
from atrium.mail.branding import Branding
from atrium.mail.schemas import EmailPreferences, Unsubscribed

if TYPE_CHECKING:
    from atrium.mail import preferences, tenant_branding
else:
    preferences, tenant_branding = lazy_modules("atrium.mail", "preferences", "tenant_branding")

router = ContextRouter("mail")
BRANDING_PATH = "/v1/tenant/branding"
PREFERENCES_PATH = "/v1/me/email-preferences"


@router.get(BRANDING_PATH, name="get_branding", permission=TENANT_READ, grants={Grant.TABLE_READ},
            responses={200: {"headers": ETAG_HEADER}})
def get_branding(principal: CurrentPrincipal, response: Response) -> Branding:
    """The tenant's email branding (empty fields use the platform's defaults). The ETag is "0" until it is set."""
    branding = tenant_branding.get_branding(principal)
    response.headers["ETag"] = etag(branding.version)
    return branding.body


@router.put(BRANDING_PATH, name="update_branding", permission=TENANT_UPDATE, grants=WRITE,
            responses={200: {"headers": ETAG_HEADER}, 412: {"description": "If-Match does not match"},
                       428: {"description": "If-Match missing"}})
def update_branding(body: Branding, principal: CurrentPrincipal, version: ExpectedVersion, info: CurrentRequest,
                    response: Response) -> Branding:
    """Replace the tenant's email branding: sender display name, brand colour (#rrggbb), logo (https URL).
    Requires If-Match."""
    branding = tenant_branding.put_branding(principal, body, version, info)
    response.headers["ETag"] = etag(branding.version)
    return branding.body


@router.get(PREFERENCES_PATH, name="get_email_preferences", permission=SELF, grants={Grant.TABLE_READ})
def get_email_preferences(principal: CurrentPrincipal) -> EmailPreferences:
    """Which categories of email the caller gets in this tenant."""
    return preferences.get_preferences(principal.tenant_id, principal.id)


@router.put(PREFERENCES_PATH, name="update_email_preferences", permission=SELF, grants=WRITE,
            responses={422: {"description": "An unknown category, or one that is always sent, was turned off"}})
def update_email_preferences(body: EmailPreferences, principal: CurrentPrincipal,
                             info: CurrentRequest) -> EmailPreferences:
    """Set the caller's email preferences in this tenant. Categories not named are on."""
    return preferences.put_preferences(principal.tenant_id, principal.id, body, info)


@router.post(preferences.UNSUBSCRIBE_PATH, name="unsubscribe", permission=PUBLIC,
             grants=WRITE | {Grant.CURSOR_KEY_READ},
             responses={400: {"description": "The link is invalid (tampered with, or not one of ours)"}})
def unsubscribe(token: Annotated[str, Query(min_length=1, max_length=1024)], info: CurrentRequest) -> Unsubscribed:
    """One-click unsubscribe (RFC 8058): the URL of an email's List-Unsubscribe header. Turns off the category
    of that email for its recipient."""
    category = preferences.unsubscribe(token, info)
    return Unsubscribed(category=category, detail=f"You will no longer get {category.value} emails.")
