"""A password reset request tells nothing about whether the email has an account: the answer is the same, and so
is everything the route does to answer it (its AWS calls), so its timing cannot tell either. The lookup runs
later, off the route."""

from fastapi.testclient import TestClient
from httpx import Response

from atrium_local.mailbox import sent_mail
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.aws_hook import AwsCall, recording_aws_calls

RESET = "/v1/auth/password-reset"


def _shape(calls: list[AwsCall]) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(call.service, call.operation, tuple(sorted(call.params))) for call in calls]


def _ask(client: TestClient, email: str) -> Response:
    response: Response = client.post(RESET, json={"email": email})
    return response


def test_the_route_makes_the_same_calls_and_answer_for_a_known_and_an_unknown_email(
        client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    _ask(client, "warm.up@example.com")  # a process's first request looks up what it then keeps
    with recording_aws_calls() as calls:
        known = _ask(client, tenant_a.email)
    known_calls = _shape(list(calls))
    with recording_aws_calls() as calls:
        unknown = _ask(client, "nobody@example.com")

    assert known_calls == _shape(list(calls))
    # The only DynamoDB call is the rate limiter's count of the request, the same for any address.
    assert [operation for service, operation, _ in known_calls if service == "dynamodb"] == ["UpdateItem"]
    assert known.status_code == unknown.status_code == 202 and known.json() == unknown.json()
    assert known.headers.keys() == unknown.headers.keys()
    worker.drain()
    resets = [mail["to"] for mail in sent_mail() if "#token=atr_pwr_" in (mail["text"] or "")]
    assert resets == [tenant_a.email]  # the lookup ran after the answer, and only the account got a link
