"""webhook_endpoint.disabled -> the tenant's owners and admins are emailed (webhooks.endpoint_alerts), found by
members.admins.tenant_admins: active owner or admin grants only, this tenant only, every page of members."""

import json
from datetime import timedelta
from typing import Any

import pytest

from atrium.identity.members import admins
from atrium.identity.members.admins import Admin, tenant_admins
from atrium.identity.models import DEACTIVATED, MembershipItem
from atrium.kernel import clock, ids
from atrium.kernel.consumers import ConsumerSpec, Events
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.grants import Grant
from atrium.kernel.runtime.consumer import consumer_handler
from atrium.kernel.store.unit_of_work import RequestInfo
from atrium.kernel.tenancy import tenant_scope
from atrium.mail import service as mail_service
from atrium.mail.preferences import put_preferences
from atrium.mail.schemas import EmailPreferences
from atrium.webhooks.endpoint_alerts import AlertNotSent, notify_admins
from atrium.webhooks.events import WEBHOOK_ENDPOINT_DISABLED
from atrium_local.lambda_context import LocalContext
from atrium_local.mailbox import sent_mail
from atrium_local.provision import Provisioned
from tests.support.aws_hook import recording_aws_calls
from tests.support.people import Member, add_member, join

URL = "https://hooks.example.com/atrium/orders"
ENDPOINT_ID = "ep_01JDQ3Z8M4W6N0B2C4E6G8J0K2"


def _tenant() -> str:
    return ids.new_id("ten")


def _event(tenant_id: str, **data: Any) -> Envelope:
    return Envelope(id=ids.new_id("evt"), type=WEBHOOK_ENDPOINT_DISABLED.name, tenant_id=tenant_id,
                    occurred_at=clock.now(), actor=Ref(type="service", id="webhooks.deliver"),
                    subject=Ref(type="webhook_endpoint", id=ENDPOINT_ID),
                    data={"endpoint_id": ENDPOINT_ID, "url": URL, "reason": "failing",
                          "detail": "every delivery failed for 5 days (last: HTTP 503)",
                          "failing_since": "2026-11-20T08:00:00.000Z"} | data)


def _notify(event: Envelope) -> None:
    with tenant_scope(event.tenant_id):  # as the consumer runtime binds it
        notify_admins(event)


def _recipients() -> list[str]:
    return sorted(mail["to"] for mail in sent_mail())


def _admins(tenant_id: str) -> list[Admin]:
    with tenant_scope(tenant_id):
        return tenant_admins(tenant_id)


def test_owners_and_admins_are_emailed_with_the_url_reason_and_what_to_do(aws: Provisioned) -> None:
    tenant = _tenant()
    owner = add_member(tenant, "owner", email="owner@example.com")
    admin = add_member(tenant, "admin", "billing", email="admin@example.com")
    add_member(tenant, "member", email="member@example.com")
    add_member(tenant, "viewer", email="viewer@example.com")
    add_member(tenant, email="nobody@example.com")  # no role at all
    _notify(_event(tenant))
    assert _recipients() == sorted([owner.email, admin.email])
    for mail in sent_mail():
        assert ENDPOINT_ID in mail["text"] and ENDPOINT_ID in mail["html"]
        assert "hooks.example.com" in mail["subject"]
        for body in (mail["text"], mail["html"]):
            assert URL in body and "failing" in body and "every delivery failed for 5 days (last: HTTP 503)" in body
            assert "2026-11-20 08:00 UTC" in body
            assert f"PATCH http://127.0.0.1:8000/v1/webhook-endpoints/{ENDPOINT_ID}" in body
            assert f"POST http://127.0.0.1:8000/v1/webhook-endpoints/{ENDPOINT_ID}/recover" in body
            assert '{"enabled": true}' in body and "If-Match" in body
        # A notification: it names its category's one-click unsubscribe.
        assert mail["list_unsubscribe"] and mail["list_unsubscribe_post"] == "List-Unsubscribe=One-Click"


def test_a_gone_endpoint_says_so_without_a_failing_since(aws: Provisioned) -> None:
    tenant = _tenant()
    add_member(tenant, "owner", email="owner@example.com")
    _notify(_event(tenant, reason="gone", detail="the receiver answered 410 Gone", failing_since=None))
    (mail,) = sent_mail()
    assert "gone" in mail["text"] and "410 Gone" in mail["text"]
    assert "Failing since" not in mail["text"] and "Failing since" not in mail["html"]


def test_deactivated_members_and_expired_admin_grants_are_not_emailed(aws: Provisioned) -> None:
    tenant = _tenant()
    owner = add_member(tenant, "owner", email="owner@example.com")
    add_member(tenant, "admin", expires_at=clock.now() - timedelta(seconds=1), email="expired@example.com")
    current = add_member(tenant, "admin", expires_at=clock.now() + timedelta(days=1), email="current@example.com")
    deactivated = add_member(tenant, "admin", email="deactivated@example.com")
    with tenant_scope(tenant):
        MembershipItem.load(tenant, deactivated.user_id).update(actions=[MembershipItem.status.set(DEACTIVATED)])
    assert _admins(tenant) == [Admin(owner.user_id, owner.email), Admin(current.user_id, current.email)]
    _notify(_event(tenant))
    assert _recipients() == sorted([owner.email, current.email])


def test_an_admin_of_another_tenant_only_is_not_emailed(aws: Provisioned) -> None:
    tenant, other = _tenant(), _tenant()
    owner = add_member(tenant, "owner", email="owner@example.com")
    add_member(other, "owner", email="other-owner@example.com")
    elsewhere = add_member(other, "admin", email="admin-elsewhere@example.com")
    join(tenant, elsewhere, "member")  # a plain member here, an admin there
    _notify(_event(tenant))
    assert _recipients() == [owner.email]
    _notify(_event(other))
    assert _recipients() == sorted([owner.email, "other-owner@example.com", elsewhere.email])


def test_the_lookup_pages_through_every_member_one_query_per_page(aws: Provisioned,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(admins, "PAGE_SIZE", 2)
    tenant = _tenant()
    people: list[Member] = [add_member(tenant, "member") for _ in range(4)]
    people.insert(0, add_member(tenant, "owner"))
    people.append(add_member(tenant, "admin"))  # on the last page (members are listed oldest first)
    people.append(add_member(tenant, "member"))
    with recording_aws_calls() as calls:
        found = _admins(tenant)
    assert found == [Admin(people[0].user_id, people[0].email), Admin(people[5].user_id, people[5].email)]
    # 7 members, 2 a page: 4 Queries, nothing else read.
    assert [f"{call.service}.{call.operation}" for call in calls] == ["dynamodb.Query"] * 4


def test_an_admin_who_turned_webhook_alerts_off_is_skipped(aws: Provisioned) -> None:
    tenant = _tenant()
    owner = add_member(tenant, "owner", email="owner@example.com")
    admin = add_member(tenant, "admin", email="admin@example.com")
    with tenant_scope(tenant):
        put_preferences(tenant, admin.user_id, EmailPreferences(categories={"webhook_alerts": False}), RequestInfo())
    _notify(_event(tenant))
    assert _recipients() == [owner.email]


def test_a_failed_send_still_emails_the_others_then_fails_the_event(aws: Provisioned,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    tenant = _tenant()
    first = add_member(tenant, "owner", email="first@example.com")
    add_member(tenant, "admin", email="second@example.com")
    third = add_member(tenant, "admin", email="third@example.com")
    real = mail_service._client()

    class Failing:
        def send_email(self, **request: Any) -> Any:
            if request["Destination"]["ToAddresses"] == ["second@example.com"]:
                raise RuntimeError("SES is unwell")
            return real.send_email(**request)

    monkeypatch.setattr(mail_service, "_client", Failing)
    with pytest.raises(AlertNotSent, match="1 admin"):
        _notify(_event(tenant))
    assert _recipients() == sorted([first.email, third.email])


def test_a_redelivered_event_emails_each_admin_once(aws: Provisioned) -> None:
    """Through the consumer runtime the main declaration will use: the event id is recorded once handled."""
    tenant = _tenant()
    owner = add_member(tenant, "owner", email="owner@example.com")
    admin = add_member(tenant, "admin", email="admin@example.com")
    spec = ConsumerSpec(name="webhooks.notify_endpoint_disabled",
                        source=Events(types=(WEBHOOK_ENDPOINT_DISABLED.name,)), handler=notify_admins,
                        description="Email the tenant's admins about a disabled endpoint.",
                        grants=frozenset({Grant.MAIL_SEND, Grant.CURSOR_KEY_READ}))
    handler = consumer_handler(spec)
    body = json.dumps({"detail": _event(tenant).model_dump(mode="json")})
    for receive in ("1", "2"):
        record = {"messageId": f"m-{receive}", "receiptHandle": "r", "body": body,
                  "attributes": {"ApproximateReceiveCount": receive}, "messageAttributes": {}, "md5OfBody": "",
                  "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
                  "awsRegion": "us-east-1"}
        context = LocalContext(spec.name)
        assert handler({"Records": [record]}, context) == {"batchItemFailures": []}  # type: ignore[arg-type]
    assert _recipients() == sorted([owner.email, admin.email])
