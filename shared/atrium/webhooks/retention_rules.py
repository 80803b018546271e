"""How long webhook messages (the payload sent) and their delivery logs (attempts, responses) are kept
(``RETENTION_RULES``). Each message expires by the table's TTL after the platform's
``webhook_payload_retention_days`` (30): a tenant may keep them for less."""

from datetime import datetime

from atrium.kernel import ids
from atrium.kernel.retention import RetentionRule
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.webhooks.message_models import WebhookMessageItem, message_pk

PLATFORM_DAYS = 30  # the default of the setting above, which stays the longest a message is kept


def purge_messages(tenant_id: str, before: datetime) -> int:
    """Delete the messages made before ``before``, each with its deliveries and attempts (its partition): one Query
    of the messages, one per message, batched deletes. The message goes last, so a run cut short leaves it to be
    found again by the next."""
    made_earlier = WebhookMessageItem.gsi1.query(keys.collection_pk(tenant_id, WebhookMessageItem.type_name()),
                                                 Item.gsi1sk < ids.first_id_at("msg", before))
    deleted = 0
    for message in made_earlier:
        if not isinstance(message, WebhookMessageItem):
            continue
        partition = sorted(Item.query(message_pk(tenant_id, message.id), consistent_read=True),
                           key=lambda item: isinstance(item, WebhookMessageItem))
        with Item.batch_write() as batch:
            for item in partition:
                batch.delete(item)
        deleted += 1
    return deleted


RETENTION_RULES = [
    RetentionRule(name="webhooks.messages", description="Webhook messages (the payload sent, which names people) and "
                                                        "their delivery logs, counted from when they were made.",
                  minimum_days=1, default_days=PLATFORM_DAYS, maximum_days=PLATFORM_DAYS, purge=purge_messages),
]
