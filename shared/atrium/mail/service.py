"""Send one email through SES v2 as a MIME message (text and HTML alternatives), or skip it.

Every send reads, in one BatchGetItem: the recipient's suppression item, the tenant's branding, its mark if its
owner has not verified their address and, for a notification, the recipient's preferences. A suppressed address,
an opted-out category, or a day's mail of a tenant held until its owner verifies (``unverified_owner``) skips the
send.
Sending raw MIME keeps full control of headers (Date, Message-ID, List-Unsubscribe).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import boto3
from aws_lambda_powertools.metrics import MetricUnit

from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.display_names import cleaned
from atrium.kernel.observability import logger, metrics
from atrium.kernel.store.models import Item
from atrium.kernel.store.reads import Found
from atrium.kernel.tenancy import current_tenant
from atrium.mail import unverified_owner
from atrium.mail.branding import Branding
from atrium.mail.categories import Category, is_transactional
from atrium.mail.models import BrandingItem, PreferencesItem, SuppressionItem, UnverifiedOwnerItem
from atrium.mail.preferences import UNSUBSCRIBE_PATH, opted_out, unsubscribe_token
from atrium.mail.rendering import Rendered, render
from atrium.mail.suppression import record_skipped, suppression_of
from atrium.mail.tenant_branding import branding_of


@dataclass(frozen=True)
class Email:
    to: str
    template: str  # templates/<template>.txt and .html
    category: Category
    context: Mapping[str, Any] = field(default_factory=dict)
    # The recipient's account: whose preferences apply. Required for notification (non-transactional) mail.
    user_id: str | None = None


@lru_cache(maxsize=1)
def _client() -> Any:
    return boto3.client("sesv2", region_name=settings().region)


def _sender(branding: Branding) -> str:
    # Address quotes what needs quoting; ``cleaned`` drops what a name stored before today's rules may still hold.
    name = cleaned(branding.display_name, sender=True) or settings().app_name
    return str(Address(display_name=name, addr_spec=settings().mail_from))


def compose(*, to: str, rendered: Rendered, branding: Branding, unsubscribe_url: str | None = None) -> EmailMessage:
    config = settings()
    message = EmailMessage()
    message["From"] = _sender(branding)
    message["To"] = to
    message["Subject"] = cleaned(rendered.subject)  # a tenant's name is in some subjects
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = make_msgid(domain=config.mail_from.split("@")[-1])
    if unsubscribe_url:  # RFC 2369 and RFC 8058 (one click: the mail client POSTs to the URL)
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


def unsubscribe_url(tenant_id: str, user_id: str, category: Category) -> str:
    query = urlencode({"token": unsubscribe_token(tenant_id, user_id, category)})
    return f"{settings().api_url.rstrip('/')}{UNSUBSCRIBE_PATH}?{query}"


def send_email(email: Email) -> str | None:
    """The SES message id, or None when the send was skipped (suppressed address, category turned off, a held
    tenant's day used up)."""
    notification = not is_transactional(email.category)
    if notification and email.user_id is None:
        raise ValueError(f"{email.category} mail is a notification: name the recipient's user_id")
    tenant_id = current_tenant()
    wanted: list[Item] = [suppression_of(email.to), BrandingItem(tenant_id=tenant_id, id=tenant_id),
                          unverified_owner.mark_of(tenant_id)]
    if email.user_id and notification:
        wanted.append(PreferencesItem(tenant_id=tenant_id, id=email.user_id))
    found = Found(wanted)
    suppressed = found.get(SuppressionItem)
    if suppressed is not None:
        record_skipped(suppressed)
        return None
    if notification and opted_out(found.get(PreferencesItem), email.category):
        logger.info("email skipped: category turned off", extra={"category": email.category})
        metrics.add_metric("EmailsOptedOut", MetricUnit.Count, 1)
        return None
    if unverified_owner.held(found.get(UnverifiedOwnerItem), to=email.to, template=email.template,
                             category=email.category):
        return None
    branding = branding_of(found.get(BrandingItem))
    link = unsubscribe_url(tenant_id, email.user_id, email.category) if email.user_id and notification else None
    rendered = render(email.template, branding=branding, unsubscribe_url=link, **email.context)
    message = compose(to=email.to, rendered=rendered, branding=branding, unsubscribe_url=link)
    response = _client().send_email(
        FromEmailAddress=message["From"],
        Destination={"ToAddresses": [email.to]},
        Content={"Raw": {"Data": message.as_bytes()}},
        ConfigurationSetName=settings().mail_configuration_set,
    )
    message_id: str = response["MessageId"]
    logger.info("email sent", extra={"message_id": message_id, "template": email.template,
                                     "category": email.category})
    return message_id
