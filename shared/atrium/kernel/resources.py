"""Resources other than functions and consumers' queues: the table, the key of its encrypted fields, secrets,
buckets, the bus, topics, the mail sender and schedule groups. Each is declared once, the kernel's at the end of
this module and a context's in its ``resources.py`` (``RESOURCES``). CDK builds the resource, the IAM statements
of the grants that reach it and the environment variables that name it from its declaration; the local stack
provisions the same in moto.

A declaration names the ``Settings`` fields (``kernel.config``) through which the runtime finds the resource: in
AWS every function's environment sets ``ATRIUM_<FIELD>`` to the deployed resource's name or ARN; locally the
field's default is the resource's name. Its ``grants`` say what a declaration holding each ``Grant`` may do with it.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Flag, auto

from atrium.kernel.config import Settings
from atrium.kernel.grants import Grant
from atrium.kernel.store.table import TABLE, TableSpec


class Access(Flag):
    READ = auto()  # a table's items, a secret's value, a bucket's objects
    WRITE = auto()  # the same, written
    LIST = auto()  # a bucket's keys
    TAG = auto()  # a bucket's objects' tags
    DELETE = auto()  # a bucket's objects
    SEND = auto()  # events to a bus, mail through an identity or configuration set, schedules to a group
    COUNT = auto()  # a table's rate-limit windows, and no other item (kernel/http/rate_limits.py)
    SCAN = auto()  # a table's every item, whoever's (compliance/tenant_items.py)
    PLUGIN_STORE = auto()  # a table's plugin stores' items, and no other (plugins/runner.py)


@dataclass(frozen=True, kw_only=True)
class Resource:
    # Unique among declarations, e.g. ``signing-keys``.
    name: str
    description: str
    grants: Mapping[Grant, Access] = field(default_factory=dict, hash=False)

    def settings(self) -> tuple[str, ...]:
        """The ``Settings`` fields that name this resource at run time."""
        return ()

    def __post_init__(self) -> None:
        unknown = set(self.settings()) - set(Settings.model_fields)
        if unknown:
            raise ValueError(f"resource {self.name}: {sorted(unknown)} are not settings (kernel/config.py)")


@dataclass(frozen=True, kw_only=True)
class Named(Resource):
    """A resource the runtime finds through one setting."""

    setting: str

    def settings(self) -> tuple[str, ...]:
        return (self.setting,)


@dataclass(frozen=True, kw_only=True)
class Table(Named):
    spec: TableSpec


@dataclass(frozen=True)
class Generated:
    """A random key made when the secret is created."""


@dataclass(frozen=True)
class Initial:
    """Written once when the secret is created; the code owns the value after that."""

    text: str


@dataclass(frozen=True)
class Issued:
    """Issued by an outside service and put in by hand after deploying (until then a placeholder that starts with
    ``prefix``); locally the value of ``setting``, else a random one with the same prefix."""

    prefix: str
    setting: str


@dataclass(frozen=True, kw_only=True)
class Secret(Named):
    value: Generated | Initial | Issued
    # Why Secrets Manager does not rotate it.
    not_rotated: str

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.value, Issued) and self.value.setting not in Settings.model_fields:
            raise ValueError(f"secret {self.name}: {self.value.setting} is not a setting (kernel/config.py)")


@dataclass(frozen=True)
class Expiry:
    """Objects carrying the tag ``key=value`` are deleted this many days after they were written."""

    tag: str
    days: int


@dataclass(frozen=True, kw_only=True)
class Bucket(Named):
    # The keys grants reach (``tenants/``); every key when empty.
    prefix: str = ""
    # Object Lock in compliance mode: nobody, not even the account root, deletes or overwrites an object this long.
    locked_days: int | None = None
    expiry: Expiry | None = None
    # Browsers may POST presigned uploads to it from any origin.
    browser_uploads: bool = False


@dataclass(frozen=True, kw_only=True)
class EncryptionKey(Named):
    """A KMS key that wraps other keys (envelope encryption), rotated yearly by KMS. ``setting`` names it: its ARN
    in AWS, its alias locally. Read is ``Decrypt``, write ``GenerateDataKey``."""


@dataclass(frozen=True, kw_only=True)
class Bus(Named):
    """The event bus (one per stage)."""


@dataclass(frozen=True, kw_only=True)
class NotificationTopic(Resource):
    """An SNS topic that an AWS service publishes to, encrypted with a key that service may use."""

    publisher: str  # the service's principal, e.g. ``ses.amazonaws.com``


@dataclass(frozen=True, kw_only=True)
class MailIdentity(Named):
    """The SES identity mail is sent from: the sender domain in AWS, the sender address (``setting``) locally."""


@dataclass(frozen=True, kw_only=True)
class ConfigurationSet(Named):
    """The SES configuration set every send names: it publishes these sending events to a topic."""

    topic: str  # a NotificationTopic's name
    events: tuple[str, ...]  # SES sending event types, e.g. ``bounce``


@dataclass(frozen=True, kw_only=True)
class ScheduleGroup(Named):
    """An EventBridge Scheduler group of one-time schedules that send tasks to consumers' queues, as a role that may
    only do that."""

    role_setting: str

    def settings(self) -> tuple[str, ...]:
        return (self.setting, self.role_setting)


# Exports (an audit export, say) are fetched within days: the files bucket deletes them after a week.
EXPORTS = Expiry(tag="atrium-retention=export", days=7)

# The kernel's own resources.
RESOURCES: list[Resource] = [
    Table(name="table", description="The one table", setting="table_name", spec=TABLE,
          grants={Grant.TABLE_READ: Access.READ, Grant.TABLE_WRITE: Access.WRITE,
                  Grant.RATE_LIMIT_COUNT: Access.COUNT, Grant.TABLE_SCAN: Access.SCAN,
                  Grant.PLUGIN_STORE: Access.PLUGIN_STORE}),
    # Whoever reads or writes the table reads or writes its encrypted fields (kernel/store/field_encryption.py).
    EncryptionKey(name="field-key", description="Wraps each tenant's data keys, which encrypt personal and secret "
                                                "fields", setting="field_key_id",
                  grants={Grant.TABLE_READ: Access.READ, Grant.TABLE_WRITE: Access.WRITE,
                          Grant.PLUGIN_STORE: Access.READ | Access.WRITE}),
    Bus(name="bus", description="Atrium's domain events", setting="bus_name", grants={Grant.BUS_PUT: Access.SEND}),
    Secret(name="cursor-key", description="Atrium HMAC key that authenticates pagination cursors",
           setting="cursor_secret_id", value=Generated(), grants={Grant.CURSOR_KEY_READ: Access.READ},
           not_rotated="The cursor key has no credential to rotate against. Rotating it invalidates outstanding "
                       "pagination cursors and unsubscribe links, and leaves inbound hooks' sealed secrets "
                       "unreadable, so it is rotated by hand, with those re-sealed."),
    Bucket(name="files", description="Tenants' files, each under tenants/<tenant_id>/", setting="files_bucket",
           prefix="tenants/", expiry=EXPORTS, browser_uploads=True,
           grants={Grant.FILES_READ: Access.READ, Grant.FILES_WRITE: Access.WRITE | Access.TAG,
                   Grant.FILES_DELETE: Access.DELETE, Grant.FILES_LIST: Access.LIST}),
    ScheduleGroup(name="tasks", description="Tasks due later than SQS can delay them (kernel/tasks.py)",
                  setting="task_schedule_group", role_setting="task_scheduler_role_arn",
                  grants={Grant.TASKS_SEND: Access.SEND}),
]
