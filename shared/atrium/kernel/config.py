"""Settings from the environment (prefix ``ATRIUM_``, any case), read once per process.

A plain pydantic model validates them (strings become numbers and booleans as pydantic's lax mode converts
them; the one mapping is JSON text): settings are that simple, so pydantic-settings and what it imports (dotenv,
argparse) are not worth a route function's cold start.
"""

import ipaddress
import json
import os
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

PREFIX = "ATRIUM_"


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    stage: str = "local"
    region: str = Field(default="us-east-1", validation_alias="AWS_REGION")
    table_name: str = "atrium"
    bus_name: str = "atrium"
    signing_secret_id: str = "atrium/signing-keys"
    cursor_secret_id: str = "atrium/cursor-key"
    # The key the audit chains are hashed and their checkpoints signed with (never stored in the table).
    audit_secret_id: str = "atrium/audit-key"
    # Object Lock (compliance mode) bucket that keeps each chain's signed checkpoints.
    audit_checkpoint_bucket: str = "atrium-audit-checkpoints"
    # The KMS key that wraps each tenant's data keys (kernel/store/field_encryption.py): its ARN in AWS, an alias
    # locally. A tenant's plaintext data keys stay in a process this long, or this many uses, whichever ends first.
    field_key_id: str = "alias/atrium-fields"
    field_key_cache_seconds: int = 300
    field_key_cache_uses: int = 100_000
    # Tenants' files (exports, uploads), each under tenants/<tenant_id>/.
    files_bucket: str = "atrium-files"
    # A chain run writes a checkpoint when the last one is older than this; a scheduled sweep covers the rest.
    audit_checkpoint_seconds: int = 300
    # How long a tenant's audit entries are kept unless the tenant chose otherwise.
    audit_retention_days: int = 365
    # How long after it is requested a personal-data erasure is carried out: until then it can be canceled.
    privacy_erasure_grace_days: int = 7
    # A tenant's deletion is due this long after its owner asks (cancelable meanwhile; compliance.offboarding).
    tenant_deletion_grace_days: int = 30
    # Stripe's signing secret for POST /v1/hooks/stripe lives in this secret (CDK creates it with a placeholder to
    # replace); the local stack provisions it from stripe_webhook_secret (ATRIUM_STRIPE_WEBHOOK_SECRET, as
    # `stripe listen` prints it), or a random one.
    stripe_webhook_secret_id: str = "atrium/stripe-webhook-secret"
    stripe_webhook_secret: str = ""
    # Stripe's secret API key (sk_...) lives in this secret; the local stack provisions it from stripe_api_key
    # (ATRIUM_STRIPE_API_KEY), or a random one the local Stripe fake accepts.
    stripe_api_key_secret_id: str = "atrium/stripe-api-key"
    stripe_api_key: str = ""
    # Where the Stripe SDK sends API calls: empty is Stripe itself (test or live mode, as the key says); the local
    # stack and the tests point it at the Stripe fake (atrium_local/stripe_fake).
    stripe_api_base: str = ""
    # Each plan's Stripe price id per billing interval, as JSON: {"professional": {"month": "price_...", "year":
    # "price_..."}}. A plan or interval missing here cannot be bought through Checkout.
    stripe_price_ids: dict[str, dict[str, str]] = {}
    # Each plan's metered Stripe prices per billing interval (Stripe bills a subscription's prices on one interval)
    # and meter (a meter reported to Stripe, billing's ``REPORTED_METERS``), as JSON: {"professional": {"month":
    # {"proofs": "price_..."}}}. Checkout adds them beside the plan's price; the plan's included amount and the
    # overage are tiers of each at Stripe. Billing refuses a meter name it does not report (docs/billing.md).
    stripe_metered_price_ids: dict[str, dict[str, dict[str, str]]] = {}
    # The plan of a tenant with no subscription (docs/billing.md).
    billing_default_plan: str = "free"
    # Days a past_due subscription keeps its plan (dunning's grace period) before the free plan's limits apply.
    billing_grace_days: int = 7
    mail_from: str = "no-reply@atrium.local"
    # SES configuration set every send names: it publishes bounces and complaints to the feedback topic.
    mail_configuration_set: str = "atrium"
    # Mail limits, counted per fixed window (kernel/store/counters.py); a request over one gets 429 and Retry-After.
    # A link email (verification, password reset) goes to one address (or user) at most once per interval.
    link_email_interval_seconds: int = 60
    # Invitations a tenant may create per hour and per day; and per address a day, however often an invitation to
    # it is revoked and created again (each one emails the address).
    invitations_per_hour: int = 20
    invitations_per_day: int = 100
    invitations_per_address_per_day: int = 3
    # Emails a day a tenant whose owner has not verified their address may send, but for mail about the recipient's
    # own account (verification, reset, welcome); past it they are skipped (logged, audited).
    unverified_owner_mails_per_day: int = 20
    app_name: str = "Atrium"
    web_url: str = "http://localhost:5173"  # the web app: where emailed links (reset, verification) lead
    api_url: str = "http://127.0.0.1:8000"  # this API: where one-click unsubscribe links (List-Unsubscribe) lead
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    # A step-up (a password or MFA code proved again) lasts this long: the routes declared ``step_up`` accept it
    # for as long, and the access token carrying it expires with it.
    step_up_seconds: int = 300
    idempotency_ttl_seconds: int = 24 * 3600
    # An unfinished claim frees its key after this; longer than any request may run (route timeout 29 s).
    idempotency_in_progress_seconds: int = 60
    # Larger requests are refused (413, 414) before any route runs; API Gateway allows far more.
    max_body_bytes: int = 256 * 1024
    max_query_bytes: int = 8 * 1024
    # Keys older than this are dropped by rotation; must exceed the access token TTL.
    signing_key_retention_seconds: int = 2 * 24 * 3600
    # How long the authorizer keeps a principal's live access (roles, session, tenant status); with
    # the API Gateway authorizer cache (infra/sizing.py) in front, changes apply within their sum.
    access_cache_seconds: int = 30
    # Requests a minute (kernel/http/rate_limits.py): per tenant and per principal on authenticated routes, per
    # source address on public ones. A tenant's is its plan's api_requests_per_minute, held to this ceiling.
    rate_limit_tenant_per_minute: int = 3000
    rate_limit_principal_per_minute: int = 600
    rate_limit_source_per_minute: int = 120
    # Plugin operations (an upload, an install, an uninstall) a tenant makes in 15 minutes (plugins/operations.py).
    plugin_operations_per_15_minutes: int = 10
    # How long a process keeps secrets it read; a rotated key reaches verifiers within this.
    secret_cache_seconds: int = 300
    # After a rotation, an API token's previous secret keeps working this long.
    api_token_rotation_grace_seconds: int = 24 * 3600
    # Every DynamoDB call in a tenant scope is signed by a session of this role, tagged with the tenant
    # (kernel/store/tenant_credentials.py); unset, every call uses the function's own role.
    tenant_data_role_arn: str = ""
    # Task queues are named <prefix><consumer> (CDK adds the stage); a task due later than SQS can delay it is a
    # one-time schedule in this group, which sends it to the queue as this role.
    task_queue_prefix: str = "atrium-"
    # Runner functions are named <prefix><runner> (kernel/runners.py); empty (the local stack, the tests): a runner
    # is called in this process.
    runner_function_prefix: str = ""
    task_schedule_group: str = "atrium-tasks"
    task_scheduler_role_arn: str = "arn:aws:iam::123456789012:role/atrium-task-scheduler"
    # The key webhook endpoints' signing secrets are sealed with (they must be read back to sign, so are not
    # hashed). Never rotate it in place: sealed secrets would no longer open.
    webhook_secret_id: str = "atrium/webhook-key"
    # The key users' TOTP secrets are sealed with (they must be read back to check codes, so are not hashed). Never
    # rotate it in place: sealed secrets would no longer open, and their users could not sign in.
    mfa_secret_id: str = "atrium/mfa-key"
    # After a rotation, an endpoint's previous signing secret keeps signing (beside the new one) this long.
    webhook_secret_rotation_grace_seconds: int = 24 * 3600
    # Endpoints must be https unless this is set (the local stack sets it, to reach a receiver on localhost).
    webhook_allow_http: bool = False
    # A webhook message, its deliveries and attempts (payload, responses) are kept this long.
    webhook_payload_retention_days: int = 30
    # An endpoint whose every attempt failed for this long is disabled (its admins are emailed).
    webhook_disable_after_seconds: int = 5 * 24 * 3600
    # CIDRs the SSRF guard lets through although private (comma-separated); the local stack allows loopback.
    webhook_allowed_networks: str = ""

    @field_validator("stripe_price_ids", "stripe_metered_price_ids", mode="before")
    @classmethod
    def _price_ids(cls, value: Any) -> Any:
        """The environment holds JSON text."""
        return json.loads(value) if isinstance(value, str) else value

    @field_validator("webhook_allowed_networks")
    @classmethod
    def _networks(cls, value: str) -> str:
        """A mistyped CIDR fails at start-up, not on the first delivery."""
        for cidr in value.split(","):
            if cidr.strip():
                ipaddress.ip_network(cidr.strip(), strict=False)
        return value


def _from_environment() -> dict[str, Any]:
    values: dict[str, Any] = {name[len(PREFIX):].lower(): value for name, value in os.environ.items()
                              if name.upper().startswith(PREFIX)}
    if "AWS_REGION" in os.environ:
        values["AWS_REGION"] = os.environ["AWS_REGION"]
    return values


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.model_validate(_from_environment())
