"""The local console shows what the stack did (the mailbox, the event log, queues and DLQs, schedules) and its
buttons act: redrive moves a DLQ's messages back, "run now" runs a schedule. Bad input is a 404 page, not an error."""

import re

import boto3
import pytest
from fastapi.testclient import TestClient

from atrium.kernel.config import settings
from atrium_local import event_log
from atrium_local.mailbox import sent_mail
from atrium_local.provision import Provisioned
from atrium_local.worker import Worker
from tests.api.conftest import signup
from tests.api.console_helpers import Page, welcome_email_failing

WELCOME = "identity.send_welcome_email"


def _depth(url: str) -> int:
    attributes = boto3.client("sqs", region_name=settings().region).get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    return sum(int(value) for value in attributes["Attributes"].values())


def test_the_mailbox_shows_each_email_with_its_headers_html_and_text(client: TestClient, worker: Worker) -> None:
    tenant = signup(client, "Mailbox Co")
    worker.drain()
    (mail,) = sent_mail()
    page = Page.of(client.get("/_local/mailbox").text)
    assert mail["subject"] and mail["html"] and mail["text"]
    assert f"{mail['subject']} From {mail['from']} To {tenant.email} Sent {mail['sent_at']}" in page.text
    assert page.srcdocs == [mail["html"]]  # shown in a sandboxed iframe, unescaped by the browser
    assert '<iframe class="mail-html" sandbox srcdoc=' in client.get("/_local/mailbox").text
    assert re.sub(r"\s+", " ", mail["text"]).strip() in page.text


def test_the_event_log_shows_each_consumers_outcome_and_redrive_moves_the_dlq_back(
        client: TestClient, worker: Worker, aws: Provisioned, monkeypatch: pytest.MonkeyPatch) -> None:
    welcome = aws.consumer(WELCOME)
    with welcome_email_failing(monkeypatch):
        tenant = signup(client, "Events Co")
        worker.drain()
    (event,) = [e for e in event_log.events() if e.tenant_id == tenant.id and e.type == "tenant.created"]
    assert event.relayed_at is not None
    assert event.consumers[WELCOME].status == event_log.DEAD_LETTERED
    assert event.consumers[WELCOME].receives == welcome.spec.max_receive_count
    assert {outcome.status for name, outcome in event.consumers.items() if name != WELCOME} == {event_log.SUCCEEDED}
    row = _event_row(client, event.id)
    assert "tenant.created" in row and f"in DLQ {WELCOME} (receive 3)" in row

    queues = Page.of(client.get("/_local/queues").text).text
    assert f"{WELCOME} {welcome.queue_url.rsplit('/', 1)[-1]} 0 0 1 Redrive" in queues
    assert f'"event_id": "{event.id}"' in queues  # the parked message
    assert _depth(welcome.dlq_url) == 1

    answer = client.post(f"/_local/queues/{welcome.queue_url.rsplit('/', 1)[-1]}/redrive", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/_local/queues?redriven={WELCOME}&moved=1"
    assert f"Moved 1 messages from the DLQ of {WELCOME} back to its queue." in Page.of(
        client.get(answer.headers["location"]).text).text
    assert (_depth(welcome.queue_url), _depth(welcome.dlq_url)) == (1, 0)

    worker.drain()
    assert [m["to"] for m in sent_mail()] == [tenant.email]
    assert f"succeeded {WELCOME}" in _event_row(client, event.id)


def _event_row(client: TestClient, event_id: str) -> str:
    """The text of the event's row in the event log page."""
    html = client.get("/_local/events").text
    (row,) = [row for row in html.split("<tr>") if event_id in row]
    return Page.of(row).text


def test_redrive_of_an_unknown_queue_is_a_404_page(client: TestClient) -> None:
    answer = client.post("/_local/queues/no-such-queue/redrive")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert "'no-such-queue' names no queue with a DLQ" in Page.of(answer.text).text


def test_run_now_runs_a_schedule_and_shows_its_result(client: TestClient, worker: Worker) -> None:
    signup(client, "Schedules Co")
    worker.drain()
    answer = client.post("/_local/schedules/audit.checkpoint_chains/run", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/_local/jobs#audit.checkpoint_chains")
    page = Page.of(client.get("/_local/jobs").text).text
    assert 'succeeded { "tenants": 1, "entries_chained": 0 }' in page
    assert "audit.export" in page and "proofs.render_certificate" in page  # the job kinds


def test_a_schedule_that_fails_shows_its_error_and_an_unknown_one_is_a_404_page(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(name: str) -> dict[str, object]:
        raise RuntimeError(f"{name} broke")

    monkeypatch.setattr("atrium_local.console.jobs.run_schedule", fails)
    assert client.post("/_local/schedules/identity.rotate_signing_keys/run").status_code == 200
    assert "failed RuntimeError: identity.rotate_signing_keys broke" in Page.of(client.get("/_local/jobs").text).text
    unknown = client.post("/_local/schedules/identity.nothing/run")
    assert unknown.status_code == 404 and "no schedule identity.nothing" in unknown.text
