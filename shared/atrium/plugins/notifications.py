"""Emailing what a plugin asked to say (``plugin.notification_requested``): to the tenant's admins, or to one
member who still is one (a user id of anyone else is dropped). A notification: each recipient may turn plugin
messages off, and the mail says which plugin sent it. Within one run every recipient is tried; a failed send
raises at the end so the event is retried (those already emailed may get a second copy)."""

from atrium.identity.api import active_members, tenant_admins
from atrium.kernel.config import settings
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.observability import logger
from atrium.mail.api import Category, Email, send_email
from atrium.plugins.events import PluginNotificationRequested


class NotificationNotSent(Exception):
    """Some recipients could not be emailed; the event is retried."""


def send_notification(event: Envelope) -> None:
    data = PluginNotificationRequested.model_validate(event.data)
    if data.to == "admins":
        recipients = {admin.user_id: admin.email for admin in tenant_admins(event.tenant_id)}
    else:
        recipients = {user_id: member.email for user_id, member in active_members(event.tenant_id, {data.to}).items()}
    context = {"headline": f"{data.plugin_name}: {data.subject}", "message": data.text,
               "action_url": f"{settings().web_url.rstrip('/')}/plugins/{data.plugin_id}",
               "action_label": "Open the plugin"}
    failed = []
    for user_id, email in sorted(recipients.items()):
        try:
            send_email(Email(to=email, template="notification", category=Category.PLUGIN_MESSAGES, context=context,
                             user_id=user_id))
        except Exception:
            logger.exception("plugin notification not sent", extra={"plugin_id": data.plugin_id,
                                                                     "user_id": user_id})
            failed.append(user_id)
    if failed:
        raise NotificationNotSent(f"{len(failed)} of {len(recipients)} recipients were not emailed")
