"""Consumers: functions fed by a queue of their own (with a DLQ), each declared once in its context's
``consumers.py`` (``CONSUMERS``). A consumer's source is what fills its queue:

- ``Events``: the events on the bus that match a pattern (a rule per consumer: the routing table). The handler
  gets each event's ``Envelope`` and takes effect once per event id (the runtime records the ids it handled).
- ``Topic``: the notifications an SNS topic publishes (SES feedback, for one). Subscriptions use standard (not
  raw) delivery: the SQS body is the SNS envelope, which keeps the topic and message id with each notification.
  The handler gets each ``SnsNotification`` and must be idempotent by itself: SNS and SQS deliver at least once.
- ``Tasks``: task bodies the context sends itself (``kernel.tasks.send``), now or at a later time. The handler
  gets a batch of bodies (each names its ``tenant_id``) at once, so independent tasks (HTTP calls, say) can run
  concurrently, and returns the positions of those that failed. It must be idempotent by itself.

CDK makes each consumer's queue, DLQ, rule or subscription and function from its declaration; the local stack
provisions the same in moto. A job kind (``kernel.jobs``) is a consumer of events too.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from atrium.kernel.events.envelope import EVENT_SOURCE, Envelope
from atrium.kernel.grants import Grant

# The tag on a consumer's queue and DLQ (both runtimes): how operators' tools find them by consumer name.
CONSUMER_TAG = "atrium:consumer"


class SnsNotification(BaseModel):
    """The SNS envelope of one notification, as an SQS subscription without raw delivery receives it."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    type: str = Field(alias="Type")
    message_id: str = Field(alias="MessageId")
    topic_arn: str = Field(alias="TopicArn")
    message: str = Field(alias="Message")


HandlerT = TypeVar("HandlerT", bound=Callable[..., Any])
EventHandler = Callable[[Envelope], None]
NotificationHandler = Callable[[SnsNotification], None]
TaskHandler = Callable[[list[dict[str, Any]]], set[int]]


class Source(Generic[HandlerT]):
    """What fills a consumer's queue; its type parameter is the handler its messages go to, so a declaration
    whose handler does not fit its source fails type checking."""

    # Grants the runtime needs for this source, whatever the handler does.
    runtime_grants: ClassVar[frozenset[Grant]] = frozenset()


@dataclass(frozen=True)
class Events(Source[EventHandler]):
    types: tuple[str, ...]
    # Narrows the rule to events whose ``detail`` matches (EventBridge pattern syntax).
    detail: dict[str, Any] | None = field(default=None, hash=False)

    # Processed event ids are recorded in the table.
    runtime_grants: ClassVar[frozenset[Grant]] = frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE})

    def event_pattern(self) -> dict[str, Any]:
        pattern: dict[str, Any] = {"source": [EVENT_SOURCE], "detail-type": list(self.types)}
        return pattern | {"detail": self.detail} if self.detail else pattern


@dataclass(frozen=True)
class Topic(Source[NotificationHandler]):
    # A declared topic's name (``kernel.resources.NotificationTopic``).
    name: str


@dataclass(frozen=True)
class Tasks(Source[TaskHandler]):
    """Task bodies sent by name (``kernel.tasks.send``): such a consumer's queue is named after it."""

    # What code must hold to send tasks to such a queue.
    send_grant: ClassVar[Grant] = Grant.TASKS_SEND
    # Whether each body names the tenant it runs in (``tenant_id``); False for work that finds its tenant itself
    # (a password reset request names only an email address).
    tenant_bound: bool = True


def resource_name(name: str) -> str:
    """``identity.send_welcome_email`` -> ``identity-send-welcome-email``."""
    return name.replace(".", "-").replace("_", "-")


@dataclass(frozen=True, kw_only=True)
class ConsumerSpec(Generic[HandlerT]):
    name: str
    description: str
    source: Source[HandlerT]
    handler: HandlerT
    grants: frozenset[Grant] = field(default_factory=frozenset)
    # Receives before a message moves to the DLQ.
    max_receive_count: int = 3
    batch_size: int = 10
    timeout_seconds: int = 30
    # Dependency groups (pyproject.toml) this function alone needs; each ships as a layer of its own.
    layers: frozenset[str] = field(default_factory=frozenset)

    @property
    def resource_name(self) -> str:
        return resource_name(self.name)

    @property
    def function_grants(self) -> frozenset[Grant]:
        """The declared grants and what the runtime needs for the source."""
        return self.grants | self.source.runtime_grants

    @property
    def visibility_timeout_seconds(self) -> int:
        # AWS's advice for Lambda event sources: six times the function timeout.
        return 6 * self.timeout_seconds
