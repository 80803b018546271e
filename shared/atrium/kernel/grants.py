"""What a function may touch. Each declaration lists its grants; the infra turns them into
least-privilege IAM statements and the local stack ignores them."""

from enum import StrEnum


class Grant(StrEnum):
    TABLE_READ = "table:read"
    TABLE_WRITE = "table:write"
    BUS_PUT = "bus:put"
    SIGNING_KEYS_READ = "signing-keys:read"
    SIGNING_KEYS_WRITE = "signing-keys:write"
    CURSOR_KEY_READ = "cursor-key:read"
    MAIL_SEND = "mail:send"
    AUDIT_KEY_READ = "audit-key:read"
    AUDIT_CHECKPOINTS_READ = "audit-checkpoints:read"
    AUDIT_CHECKPOINTS_WRITE = "audit-checkpoints:write"
    FILES_READ = "files:read"
    FILES_WRITE = "files:write"
    FILES_DELETE = "files:delete"
    # List a tenant's keys in the files bucket (a backup copies them all); a listing names every tenant's keys.
    FILES_LIST = "files:list"
    STRIPE_WEBHOOK_SECRET_READ = "stripe-webhook-secret:read"
    STRIPE_API_KEY_READ = "stripe-api-key:read"
    WEBHOOK_KEY_READ = "webhook-key:read"
    MFA_KEY_READ = "mfa-key:read"
    # Send to the stack's task queues, now or later (a one-time schedule that sends as the scheduler role).
    TASKS_SEND = "tasks:send"
    # Count a request in its rate-limit window (UpdateItem of those items only): every route holds it.
    RATE_LIMIT_COUNT = "rate-limits:count"
    # Scan the whole table with the function's own role (no tenant session can): walking one tenant's items,
    # which no index lists together (compliance/tenant_items.py). Only backup and restore jobs hold it.
    TABLE_SCAN = "table:scan"
    # Call the stack's runners (kernel/runners.py) and wait for their answer.
    RUNNERS_INVOKE = "runners:invoke"
    # Read and write the items of plugins' own stores (``T#<tenant>#PluginStore#...``) and no other, with the
    # function's own role: what the plugin runner holds instead of the table grants (plugins/runner.py).
    PLUGIN_STORE = "plugin-store:read-write"


# What most routes declare: reading the table, or reading and writing it.
READ = frozenset({Grant.TABLE_READ})
WRITE = frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE})
