"""Schemathesis against the local app's OpenAPI document: generated requests, valid and invalid, to every
operation as a tenant owner (an operator's and a developer's routes as one of them) must never get a 5xx, and
every response must match the spec (status code, content type, headers, body schema).

The spec is read when the module is collected, to make one test per operation. Each test runs in its own
moto world, against an app built inside it (the ``client`` fixture), which ``TARGET`` forwards to.
Examples are derandomized, so CI runs the same requests every time.
"""

import os
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from starlette.types import ASGIApp, Receive, Scope, Send

from atrium import manifest
from atrium.identity.developers.testing import developer_auth, verified_developer
from atrium.identity.operator.accounts import create_operator
from atrium.kernel.http.routing import Realm
from atrium_local.devserver import local_app
from tests.api.conftest import PASSWORD, Tenant
from tests.support.step_up import stepped_up

# Every route, each a few times: the full suite runs it, `make quick` leaves it out.
pytestmark = pytest.mark.slow

# Generated examples per operation, besides schemathesis's coverage phase (its boundary and negative cases, which
# do not depend on this, and make most of the calls). 10 keeps the suite within its time (each 10 more cost the
# suite about 30 s); SCHEMATHESIS_EXAMPLES=500 digs deeper.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429"]  # schemathesis's default, bar 5xx


SPEC = local_app().openapi()
PAGED = [operation["operationId"] for path in SPEC["paths"].values() for operation in path.values()
         if any(parameter["name"] == "cursor" for parameter in operation.get("parameters", []))]

FIELDWORK_RECORDS = ("customer", "site", "district", "assembly", "certification", "gauge")
# Lists with rules of their own: proofs are filtered by one of status, reviewer, owner and tag (422 for two); a
# tester's schedule ends on or after the day it starts.
LIST_RULES = {"proofs.list_proofs": ("422",), "fieldwork.get_tester_schedule": ("422",)}

# What schema-valid requests to an operation may also get, for rules a schema cannot state.
ALSO_ACCEPTED: dict[str, tuple[str, ...]] = {
    # The password policy: enough different characters, not the email's name.
    "identity.signup": ("422",),
    # Emails: the schema's `format: email` admits special-use domains (example.local) that are refused.
    "identity.login": ("422",),
    # A generated If-Match is almost never the current ETag; a name holding an RFC 2047 encoded word, which the
    # schema's pattern cannot state, is refused (kernel/display_names.py).
    "identity.update_tenant": ("412", "422"),
    # A wrong password or code, a weak password, an unknown one-time token, an email the validator refuses (or
    # the caller's own); a step-up takes exactly one of a password and a code.
    **{f"account.{name}": ("422",) for name in (
        "change_password", "request_password_reset", "confirm_password_reset", "verify_email",
        "confirm_totp_enrolment", "disable_totp", "regenerate_recovery_codes", "step_up", "request_email_change",
        "confirm_email_change")},
    # Role names must exist and expiries be in the future.
    "members.update_user": ("412", "422"),
    "members.create_invitation": ("422",),
    # Permissions and scopes must come from the catalog; an expiry must be in the future.
    "access.create_role": ("422",),
    "access.update_role": ("412", "422"),
    "access.create_api_token": ("422",),
    "mail.update_branding": ("412", "422"),  # as update_tenant
    # A URL that is not https or names a private address, an unknown event type: 422 (the catalog and the
    # URL rules are checked in code); a stale If-Match: 412.
    "webhooks.create_webhook_endpoint": ("422",),
    "webhooks.update_webhook_endpoint": ("412", "422"),
    "audit.update_settings": ("412",),
    # A region of two capitals with no phone numbering plan ("AA") is refused.
    "privacy.update_settings": ("412", "422"),
    # Retention: the rules and their bounds are declared in code (a name no rule has, days out of its bounds).
    "retention.update_retention": ("412", "422"),
    # A stale If-Match; a point-in-time restore confirmed with anything but the backup's id, or into a new
    # tenant by an API token (no user to own it).
    "backups.update_schedule": ("412",),
    "backups.restore_backup": ("422",),
    # `from` must come before `to`; a generated Idempotency-Key may be reused with another body.
    "audit.create_export": ("422",),
    # A subject shaped as an email that the email rules refuse (a label over 63 characters): 422.
    "privacy.create_export": ("422",),
    "privacy.create_erasure": ("422",),
    # Transactional categories (security, account, invitations) cannot be turned off.
    "mail.update_email_preferences": ("422",),
    # An unsubscribe token is sealed: any string fits the schema, one the server did not mint is refused.
    "mail.unsubscribe": ("400",),
    # A generated Idempotency-Key may be reused with another body.
    "webhooks.create_inbound_hook": ("422",),
    # Generated calls carry no valid Stripe-Signature (400); inbound hooks answer such calls 401 or 404.
    "webhooks.receive_stripe_event": ("400",),
    # A plan name that fits the schema may still not be sold through Checkout (no Stripe price configured).
    "billing.create_checkout_session": ("422",),
    # A usage range must be in order and not too long for its granularity.
    "billing.get_usage": ("422",),
    # An account id that fits the schema may not be connected to the platform at Stripe.
    "billing.set_payment_account": ("422",),
    # Owners and reviewers must be active members (checked in code); a stale If-Match;
    # decision versions and upload sizes are strict integers (JSON Schema counts 3.0 as one, the API does not).
    "proofs.create_proof": ("422",),
    "proofs.update_proof": ("412", "422"),
    **{f"proofs.{name}": ("422",) for name in (
        "approve_proof", "request_proof_changes", "reject_proof", "request_proof_upload")},
    # A comment's version must exist and its mentions must name members (checked in code); a stale If-Match.
    "proofs.create_proof_comment": ("422",),
    "proofs.update_proof_comment": ("412", "422"),
    # Default reviewers must be active members and field names unique; values must fit the template's fields
    # (checked in code against the template); a stale If-Match: 412.
    "proofs.create_template": ("422",),
    "proofs.update_template": ("412", "422"),
    "proofs.create_proof_from_template": ("422",),
    # Stars and version numbers are strict integers: JSON Schema counts 3.0 as an integer, the API does not.
    "proofs.rate_gallery_template": ("422",),
    "proofs.publish_template_to_gallery": ("422",),
    # Fieldwork: names are stripped before their length is checked, a district or a tester named in a body must
    # exist (and the tester hold the tester role), form fields are named once (checked in code); a generated
    # Idempotency-Key may be reused with another body; a stale If-Match.
    **{f"fieldwork.create_{record}": ("422",) for record in FIELDWORK_RECORDS},
    **{f"fieldwork.update_{record}": ("412", "422") for record in FIELDWORK_RECORDS},
    # A report's readings must be its assembly's type's; signing needs a valid certification and gauge.
    "fieldwork.create_report": ("422",),
    "fieldwork.update_report": ("412", "422"),
    "fieldwork.sign_report": ("412", "422"),
    # A work order's customer, assemblies and tester must exist (and be the customer's, a tester), its line
    # items be for its assemblies, its amounts strict integers; its moves carry If-Match.
    "fieldwork.create_work_order": ("422",),
    **{f"fieldwork.{name}": ("412", "422") for name in (
        "update_work_order", "schedule_work_order", "record_work_order_line_items")},
    **{f"fieldwork.{name}_work_order": ("412",) for name in ("cancel", "close")},
    **{f"fieldwork.{name}_work_order": ("412", "422") for name in ("start", "complete")},
    # The field sync's `since` is a sealed cursor: one the server did not issue is refused (400).
    "fieldwork.sync_field_work": ("400",),
    # A monthly summary is of a month that has begun.
    "fieldwork.get_monthly_summary": ("422",),
    # An invoice's work order must exist, its tax rate have at most three decimals, its line items be for the
    # order's assemblies; a payment is at most the balance and received by today; the changes carry If-Match.
    "fieldwork.create_invoice": ("422",),
    "fieldwork.update_invoice": ("412", "422"),
    **{f"fieldwork.{name}_invoice": ("412",) for name in ("send", "void")},
    "fieldwork.record_invoice_payment": ("422",),
    # A plugin bundle's size is a strict integer; an install or upgrade names a pending upload of the tenant, its
    # manifest's config schema requires only its own properties and its defaults satisfy them, an upgrade keeps the
    # name and raises the version, a configuration satisfies the plugin's schema (all checked in code).
    "plugins.request_plugin_upload": ("422",),
    "plugins.install_plugin": ("422",),
    "plugins.upgrade_plugin": ("422",),
    "plugins.put_plugin_config": ("422",),
    # A verification token the server did not issue; a rating's stars are a strict integer; a developer's upload
    # as a tenant's, and a submitted version's manifest as an install's (and it keeps its listing's name).
    "developers.verify_developer": ("422",),
    "marketplace.rate_listing": ("422",),
    "marketplace.request_version_upload": ("422",),
    "marketplace.submit_version": ("422",),
    # A cursor is opaque: any string fits the schema, and one the server did not issue is refused (400).
    **{operation_id: ("400", *LIST_RULES.get(operation_id, ())) for operation_id in PAGED},
    # A new account needs a strong password; an invitation may have expired.
    "members.accept_invitation": ("410", "422"),
}
# Lists refuse unknown and repeated query parameters (422), but schemathesis counts a parameter it drops while
# serializing ({} or an empty list leave nothing on the wire) as sent; every list takes the kernel's Paging, whose
# rules tests/api/test_bad_input.py checks directly.
NEGATIVE_CASES_NOT_CHECKED = set(PAGED)
# The path of accepting an invitation also matches DELETE /v1/invitations/{invitation_id} (a 404 for "accept"),
# so Allow names DELETE too; the backup schedule's matches DELETE /v1/backups/{backup_id} (a 404 for "schedule"),
# and the plugins' uploads, install, hooks and sdk GET and DELETE /v1/plugins/{plugin_id}.
ALLOW_HEADER_NOT_CHECKED = {"members.accept_invitation", "backups.get_schedule", "backups.update_schedule",
                            "plugins.request_plugin_upload", "plugins.install_plugin", "plugins.list_plugin_hooks",
                            "plugins.get_plugin_sdk"}


def _rules() -> list[dict[str, Any]]:
    """``ALSO_ACCEPTED`` and the checks left out as schemathesis operation rules, one per distinct rule, each
    matching its operations by one regular expression: schemathesis tries every rule's filters on every check of
    every call."""
    groups: dict[tuple[tuple[str, ...], bool, bool], list[str]] = {}
    for operation_id in sorted({*ALSO_ACCEPTED, *ALLOW_HEADER_NOT_CHECKED}):
        statuses = ALSO_ACCEPTED.get(operation_id, ())
        key = (statuses, operation_id in NEGATIVE_CASES_NOT_CHECKED, operation_id in ALLOW_HEADER_NOT_CHECKED)
        groups.setdefault(key, []).append(operation_id)
    rules = []
    for (statuses, no_negative, no_allow), operation_ids in groups.items():
        checks: dict[str, Any] = {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, *statuses]}}
        if no_negative:
            checks["negative_data_rejection"] = {"enabled": False}
        if no_allow:
            checks["allow_header_conformance"] = {"enabled": False}
        pattern = "|".join(re.escape(operation_id) for operation_id in operation_ids)
        rules.append({"include-operation-id-regex": f"^({pattern})$", "checks": checks})
    return rules


CONFIG = schemathesis.Config.from_dict({
    "checks": {
        "not_a_server_error": {"expected-statuses": ["2xx", "3xx", "4xx"]},
        "positive_data_acceptance": {"expected-statuses": ACCEPTED},
        # 428 is how a missing If-Match is answered.
        "missing_required_header": {"expected-statuses": [400, 401, 403, 415, 422, 428]},
        # Schemathesis's default rejections, plus 414: a generated query string over the limit is refused whole.
        "negative_data_rejection": {"expected-statuses": [400, 401, 403, 404, 405, 406, 409, 414, 415, 422, 428,
                                                          429, "5xx"]},
    },
    "operations": _rules(),
})


class Target:
    """The ASGI app schemathesis calls: forwards to the app of the running test."""

    app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "request the `target` fixture"
        await self.app(scope, receive, send)


TARGET = Target()
# The realm of each operation other than the tenants', by operation id.
REALMS = {spec.operation_id: spec.realm for spec in manifest.routes() if spec.realm is not Realm.TENANT}
schema = schemathesis.openapi.from_dict(SPEC, config=CONFIG)
schema.app = TARGET


@pytest.fixture
def target(client: TestClient) -> Iterator[None]:
    TARGET.app = client.app
    yield
    TARGET.app = None


@pytest.fixture
def owner_stepped_up(client: TestClient, tenant_a: Tenant) -> dict[str, str]:
    """Once per operation, before its examples (which may spend the owner's secret attempts): the routes declared
    ``step_up`` are called with it, for as long as it lasts."""
    return stepped_up(client, tenant_a.auth)


@pytest.fixture
def realm_auth(client: TestClient) -> Callable[[Realm], dict[str, str]]:
    """The caller of an operator's or a developer's route, who may call it (an owner would only be refused): made
    at the operation's first example, kept for the others."""

    @cache
    def auth(realm: Realm) -> dict[str, str]:
        if realm is Realm.DEVELOPER:
            return developer_auth(verified_developer(client, "schemathesis@plugins.example"))
        create_operator("schemathesis@platform.example", "operator_admin", PASSWORD)
        login = client.post("/v1/operator/auth/login", json={"email": "schemathesis@platform.example",
                                                             "password": PASSWORD})
        return {"Authorization": f"Bearer {login.json()['access_token']}"}

    return auth


@schema.parametrize()
# One operation's examples share its moto world and tenant on purpose: the state they build up is part of the test.
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_conforms(case: schemathesis.Case[Any], target: None, tenant_a: Tenant,
                                  owner_stepped_up: dict[str, str],
                                  realm_auth: Callable[[Realm], dict[str, str]]) -> None:
    realm = REALMS.get(case.operation.definition.raw.get("operationId", ""))
    if realm is not None:
        auth = realm_auth(realm)
    else:
        auth = owner_stepped_up if case.operation.definition.raw.get("x-atrium-step-up") else tenant_a.auth
    # A generous timeout: on a loaded machine a call that sends mail through local SES may take over 10 s.
    case.call_and_validate(headers=auth, timeout=60)
