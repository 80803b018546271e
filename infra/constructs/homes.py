"""Where declarations sit in the construct tree. A logical id is made from a construct's path, and a changed
logical id replaces the resource (a new bucket, new keys, a new table), so the paths of what existed before
resources and consumers were declarations are kept. What is declared since sits under ``Resources``, named after
itself."""

from typing import Any

from constructs import Construct

from atrium.kernel.consumers import Events, Tasks, Topic
from infra.naming import pascal

# A declared resource's parent and id, by its name.
_RESOURCES = {
    "table": ("Data", "Table"), "signing-keys": ("Data", "SigningKeys"), "cursor-key": ("Data", "CursorKey"),
    "stripe-webhook-secret": ("Data", "StripeWebhookSecret"), "audit-key": ("Storage", "AuditKey"),
    "webhook-key": ("Storage", "WebhookKey"), "audit-checkpoints": ("Storage", "AuditCheckpoints"),
    "files": ("Storage", "Files"), "bus": ("Events", "Bus"), "mail-feedback": ("Mail", "Feedback"),
    "sender": ("Mail", "Sender"), "configuration-set": ("Mail", "ConfigurationSet"),
    "tasks": ("Tasks", "ScheduleGroup"),
}
# A consumer's queue sits under its source's group (its function in its context's nested stack of consumers).
_CONSUMERS: dict[type[Any], str] = {Events: "Events", Topic: "Feeds", Tasks: "Tasks"}


def group(scope: Construct, construct_id: str) -> Construct:
    """The child ``construct_id`` of ``scope`` that groups declarations, made when first asked for."""
    found = scope.node.try_find_child(construct_id)
    return found if isinstance(found, Construct) else Construct(scope, construct_id)


def resource_home(scope: Construct, name: str) -> tuple[Construct, str]:
    parent, construct_id = _RESOURCES.get(name, ("Resources", pascal(name)))
    return group(scope, parent), construct_id


def consumer_group(scope: Construct, source: object) -> Construct:
    return group(scope, _CONSUMERS[type(source)])
