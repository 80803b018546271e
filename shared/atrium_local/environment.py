"""Point boto3 at the local moto server (before any client is created), and the Stripe SDK at the Stripe fake."""

import json
import os
from typing import Any

import boto3

from atrium.kernel.config import settings

DEFAULT_API_PORT = 8000
DEFAULT_MOTO_PORT = 8001
DEFAULT_STRIPE_PORT = 8002
DEFAULT_DATA_DIR = ".atrium"  # in the repository, git-ignored
# As deployed, tenant-scoped DynamoDB calls are signed by a session of the tenant data role (moto checks no IAM).
LOCAL_TENANT_DATA_ROLE_ARN = "arn:aws:iam::123456789012:role/atrium-local-TenantData-us-east-1"
# Webhook receivers under development listen on this machine: the local stack lets webhooks reach it.
LOCAL_WEBHOOK_NETWORKS = "127.0.0.0/8,::1/128"


def api_port() -> int:
    return int(os.environ.get("ATRIUM_PORT", DEFAULT_API_PORT))


def moto_port() -> int:
    return int(os.environ.get("ATRIUM_MOTO_PORT", DEFAULT_MOTO_PORT))


def stripe_port() -> int:
    return int(os.environ.get("ATRIUM_STRIPE_PORT", DEFAULT_STRIPE_PORT))


def stripe_fake_wanted() -> bool:
    """The fake stands in for Stripe unless the environment names one: an API base (another fake, stripe-mock), or
    an API key with no base (Stripe itself, in the key's mode: sk_test_... is test mode)."""
    return not (os.environ.get("ATRIUM_STRIPE_API_BASE") or os.environ.get("ATRIUM_STRIPE_API_KEY"))


def use_stripe_fake(url: str) -> None:
    """Send the Stripe SDK's calls to the fake at ``url``; the plans are sold at the fake's prices, their own and
    the metered ones, unless the environment maps them (``ATRIUM_STRIPE_PRICE_IDS``,
    ``ATRIUM_STRIPE_METERED_PRICE_IDS``). Before settings are read."""
    from atrium_local.stripe_fake.account import LOCAL_METERED_PRICE_IDS, LOCAL_PRICE_IDS

    os.environ["ATRIUM_STRIPE_API_BASE"] = url
    os.environ.setdefault("ATRIUM_STRIPE_PRICE_IDS", json.dumps(LOCAL_PRICE_IDS))
    os.environ.setdefault("ATRIUM_STRIPE_METERED_PRICE_IDS", json.dumps(LOCAL_METERED_PRICE_IDS))


def use_local_aws(port: int) -> None:
    os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{port}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true",
        "ATRIUM_TENANT_DATA_ROLE_ARN": LOCAL_TENANT_DATA_ROLE_ARN,
        # A new tenant starts on enterprise locally, so the demo's cast (a user per role) fits its seats; set it to
        # free to try the plans' limits (docs/billing.md).
        "ATRIUM_BILLING_DEFAULT_PLAN": "enterprise",
    }.items():
        os.environ.setdefault(name, value)


def aws_client(service: str) -> Any:
    """A boto3 client for the configured region (and, after ``use_local_aws``, the local endpoint)."""
    return boto3.client(service, region_name=settings().region)  # type: ignore[call-overload]


def allow_local_webhooks() -> str:
    """Let webhooks use http and reach loopback (unless the environment says otherwise); says what is allowed."""
    os.environ.setdefault("ATRIUM_WEBHOOK_ALLOW_HTTP", "true")
    os.environ.setdefault("ATRIUM_WEBHOOK_ALLOWED_NETWORKS", LOCAL_WEBHOOK_NETWORKS)
    config = settings()
    schemes = "http and https" if config.webhook_allow_http else "https only"
    networks = config.webhook_allowed_networks or "none"
    return f"{schemes}; private networks allowed: {networks} (ATRIUM_WEBHOOK_ALLOWED_NETWORKS)"
