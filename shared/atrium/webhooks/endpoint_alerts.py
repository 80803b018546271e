"""Email the tenant's admins when Atrium disables one of its webhook endpoints (``webhook_endpoint.disabled``).

The handler of the consumer ``webhooks.notify_endpoint_disabled``. The consumer runtime records each event id,
so a redelivered event sends nothing again. Within one run every admin is tried; if a send fails the others
still go out and the handler raises at the end, so the event is retried: those already emailed may then get a
second copy, which beats an admin never hearing of it.
"""

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from atrium.identity.api import tenant_admins
from atrium.kernel.config import settings
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.observability import logger
from atrium.mail.api import Category, Email, send_email
from atrium.webhooks.events import WebhookEndpointDisabled

TEMPLATE = "webhook_endpoint_disabled"
# A notification, not transactional mail: each admin may turn webhook alerts off (preferences or the email's
# one-click unsubscribe), and send_email then skips them. The mail neither answers something the admin did nor
# guards their account (what transactional means in mail/categories.py); a tenant may have many admins of whom
# only some run its integrations; and an admin who opted out still finds the endpoint disabled in the API, and
# any endpoint subscribed to webhook_endpoint.disabled receives the event.
CATEGORY = Category.WEBHOOK_ALERTS
# The detail is written by the delivery pipeline but may quote the receiver: kept to one short line.
DETAIL_LIMIT = 300

REASONS = {
    "gone": "the receiver answered 410 Gone, which asks senders to stop",
    "failing": "every delivery to it kept failing for days",
}


class AlertNotSent(Exception):
    """Some admins could not be emailed; the event is retried."""


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def _readable(timestamp: str | None) -> str | None:
    if not timestamp:
        return None
    try:
        moment = datetime.fromisoformat(timestamp)
    except ValueError:
        return timestamp
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def alert_context(data: WebhookEndpointDisabled) -> dict[str, Any]:
    """The template's variables for one disabled endpoint."""
    return {
        "endpoint_id": data.endpoint_id,
        "url": data.url,
        "host": urlsplit(data.url).hostname or data.url,
        "reason": data.reason,
        "reason_text": REASONS[data.reason],
        "detail": _one_line(data.detail, DETAIL_LIMIT) or "none given",
        "failing_since": _readable(data.failing_since),
        "endpoint_api_url": f"{settings().api_url.rstrip('/')}/v1/webhook-endpoints/{data.endpoint_id}",
    }


def notify_admins(event: Envelope) -> None:
    """Email every owner and admin of the event's tenant about the disabled endpoint (runs in its tenant scope)."""
    data = WebhookEndpointDisabled.model_validate(event.data)
    context = alert_context(data)
    failed: list[str] = []
    for admin in tenant_admins(event.tenant_id):
        try:
            send_email(Email(to=admin.email, template=TEMPLATE, category=CATEGORY, context=context,
                             user_id=admin.user_id))
        except Exception:
            logger.exception("webhook alert not sent", extra={"user_id": admin.user_id,
                                                              "endpoint_id": data.endpoint_id})
            failed.append(admin.user_id)
    if failed:
        raise AlertNotSent(f"{len(failed)} admin(s) not emailed about endpoint {data.endpoint_id}: "
                           + ", ".join(failed))
