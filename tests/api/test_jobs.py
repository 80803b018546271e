"""Jobs: a failing job retried by SQS, parked in its DLQ, retried through the API (or redriven from the DLQ by an
operator with ``atrium dlq``), then succeeding; who sees and retries which job; listing newest first."""

import json
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from atrium.jobs.runner import MAX_RESULT_BYTES
from atrium.kernel.config import settings
from atrium.kernel.errors import Unprocessable
from atrium_local import dlq
from atrium_local.cli import app as cli
from atrium_local.provision import ConsumerQueues, Provisioned
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.jobs import FLAKY_ERROR, Flaky, register, start
from tests.support.people import add_member

KIND = Flaky().kind()  # what a starting route passes to enqueue; the fixture registers a kind of this name


@pytest.fixture
def flaky(monkeypatch: pytest.MonkeyPatch) -> Flaky:
    kind = Flaky()
    register(monkeypatch, kind.kind())
    return kind


@pytest.fixture
def aws(flaky: Flaky, aws_as_declared_now: Provisioned) -> Provisioned:
    """The moto world, provisioned after the test kind is registered (so its queue, DLQ and rule exist)."""
    return aws_as_declared_now


def _queues(aws: Provisioned) -> ConsumerQueues:
    return aws.consumer(f"jobs.{KIND.name}")


def _depth(url: str) -> int:
    attributes = boto3.client("sqs", region_name=settings().region).get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    return sum(int(v) for v in attributes["Attributes"].values())


def _job(client: TestClient, auth: dict[str, str], job_id: str) -> dict[str, Any]:
    response = client.get(f"/v1/jobs/{job_id}", headers=auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _audited(tenant_id: str, action: str) -> list[str]:
    """Targets of the tenant's audit entries for ``action`` (a scan: fine in tests)."""
    client = boto3.client("dynamodb", region_name=settings().region)
    items = [i for page in client.get_paginator("scan").paginate(TableName=settings().table_name)
             for i in page["Items"]]
    return [i["targets"]["L"][0]["M"]["id"]["S"] for i in items if i.get("entity", {}).get("S") == "Audit"
            and i["tenant_id"]["S"] == tenant_id and i["action"]["S"] == action]


def test_a_failing_job_reaches_its_dlq_and_succeeds_when_retried(client: TestClient, tenant_a: Tenant,
                                                                 worker: Worker, aws: Provisioned,
                                                                 flaky: Flaky) -> None:
    job_id = start(tenant_a.id, tenant_a.user_id, KIND, {"rows": 3})
    queued = _job(client, tenant_a.auth, job_id)
    assert (queued["status"], queued["attempts"], queued["created_by"]) == ("queued", 0, tenant_a.user_id)
    assert _audited(tenant_a.id, "job.queued") == [job_id]

    worker.drain()
    failed = _job(client, tenant_a.auth, job_id)
    assert (failed["status"], failed["attempts"], failed["error"]) == ("failed", 3, FLAKY_ERROR)
    assert (failed["progress"], failed["progress_message"], failed["result"]) == (0.5, "halfway", None)
    assert "Traceback" not in failed["error"]
    assert failed["finished_at"] is not None
    assert _depth(_queues(aws).dlq_url) == 1

    flaky.failing = False
    response = client.post(f"/v1/jobs/{job_id}/retry", headers=tenant_a.auth)
    assert response.status_code == 202, response.text
    assert response.headers["location"] == f"/v1/jobs/{job_id}"
    assert (response.json()["status"], response.json()["error"]) == ("queued", FLAKY_ERROR)
    assert _audited(tenant_a.id, "job.retried") == [job_id]

    worker.drain()
    done = _job(client, tenant_a.auth, job_id)
    assert (done["status"], done["attempts"], done["error"], done["progress"]) == ("succeeded", 4, None, 1.0)
    assert done["result"] == {"rows": 3, "attempt": 4, "padding": ""}
    assert _depth(_queues(aws).queue_url) == 0


def test_between_attempts_a_job_is_queued_with_its_last_error(client: TestClient, tenant_a: Tenant,
                                                              worker: Worker, aws: Provisioned) -> None:
    job_id = start(tenant_a.id, tenant_a.user_id, KIND, {"rows": 1})
    worker.relay_stream()
    worker.consume(_queues(aws))
    job = _job(client, tenant_a.auth, job_id)
    assert (job["status"], job["attempts"], job["error"], job["finished_at"]) == ("queued", 1, FLAKY_ERROR, None)


def test_a_result_over_the_limit_fails_the_job(client: TestClient, tenant_a: Tenant, worker: Worker,
                                               flaky: Flaky) -> None:
    flaky.failing = False
    job_id = start(tenant_a.id, tenant_a.user_id, KIND, {"rows": 1, "padding": MAX_RESULT_BYTES})
    worker.drain()
    job = _job(client, tenant_a.auth, job_id)
    assert job["status"] == "failed"
    assert job["error"] == f"the job's result is larger than {MAX_RESULT_BYTES} bytes"


def test_only_a_failed_job_can_be_retried(client: TestClient, tenant_a: Tenant, worker: Worker,
                                          flaky: Flaky) -> None:
    flaky.failing = False
    job_id = start(tenant_a.id, tenant_a.user_id, KIND, {"rows": 1})
    for _ in range(2):  # queued, then succeeded
        response = client.post(f"/v1/jobs/{job_id}/retry", headers=tenant_a.auth)
        assert response.status_code == 409, response.text
        assert response.headers["content-type"] == "application/problem+json"
        worker.drain()
    assert _job(client, tenant_a.auth, job_id)["status"] == "succeeded"


def test_a_job_shows_to_its_starter_and_to_holders_of_its_kinds_permission(client: TestClient, tenant_a: Tenant,
                                                                           worker: Worker) -> None:
    member, viewer = add_member(tenant_a.id, "member"), add_member(tenant_a.id, "viewer")
    owners_job = start(tenant_a.id, tenant_a.user_id, KIND, {"rows": 1})
    members_job = start(tenant_a.id, member.user_id, KIND, {"rows": 2})
    worker.drain()

    assert client.get(f"/v1/jobs/{owners_job}", headers=viewer.auth).status_code == 404
    assert _job(client, member.auth, members_job)["status"] == "failed"
    assert [j["id"] for j in client.get("/v1/jobs", headers=member.auth).json()["data"]] == [members_job]
    assert [j["id"] for j in client.get("/v1/jobs", headers=tenant_a.auth).json()["data"]] == [members_job,
                                                                                               owners_job]
    # Starting a kind needs its permission (reports:export), and so does retrying it.
    response = client.post(f"/v1/jobs/{members_job}/retry", headers=member.auth)
    assert response.status_code == 403, response.text
    assert "reports:export" in response.json()["detail"]
    assert _audited(tenant_a.id, "access.denied") == ["jobs.retry_job"]
    assert client.post(f"/v1/jobs/{owners_job}/retry", headers=member.auth).status_code == 404


def test_jobs_are_listed_newest_first_a_page_at_a_time(client: TestClient, tenant_a: Tenant) -> None:
    started = [start(tenant_a.id, tenant_a.user_id, KIND, {"rows": n}) for n in range(3)]
    first = client.get("/v1/jobs?limit=2", headers=tenant_a.auth).json()
    second = client.get(f"/v1/jobs?limit=2&cursor={first['next_cursor']}", headers=tenant_a.auth).json()
    assert [j["id"] for j in first["data"] + second["data"]] == started[::-1]


def test_unknown_job_ids_are_not_found(client: TestClient, tenant_a: Tenant) -> None:
    for job_id in ("job_01M80NEQ8V8WMTDAMZFMBRHY14", "not-a-job", "usr_01M80NEQ8V8WMTDAMZFMBRHY14"):
        assert client.get(f"/v1/jobs/{job_id}", headers=tenant_a.auth).status_code == 404
        assert client.post(f"/v1/jobs/{job_id}/retry", headers=tenant_a.auth).status_code == 404


def test_enqueue_refuses_oversized_parameters(aws: Provisioned, tenant_a: Tenant) -> None:
    with pytest.raises(Unprocessable):
        start(tenant_a.id, tenant_a.user_id, KIND, {"blob": "x" * 20_000})


# -- atrium dlq ----------------------------------------------------------------------------------

def _failed_in_dlq(client: TestClient, tenant: Tenant, worker: Worker) -> str:
    job_id = start(tenant.id, tenant.user_id, KIND, {"rows": 5})
    worker.drain()
    assert _job(client, tenant.auth, job_id)["status"] == "failed"
    return job_id


@pytest.fixture
def local_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's local mode, pointed at this test's in-process moto instead of the dev stack's server."""
    monkeypatch.setattr("atrium_local.cli.environment.use_local_aws", lambda port: None)


@pytest.mark.usefixtures("local_stack")
def test_the_cli_lists_dlqs_and_redrives_a_job_back_to_its_queue(client: TestClient, tenant_a: Tenant,
                                                                 worker: Worker, aws: Provisioned,
                                                                 flaky: Flaky) -> None:
    job_id = _failed_in_dlq(client, tenant_a, worker)
    runner, consumer = CliRunner(), f"jobs.{KIND.name}"

    listed = runner.invoke(cli, ["dlq", "list"])
    assert listed.exit_code == 0, listed.output
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    # Every queue with a DLQ, each found by its tag.
    declared = [c.spec.name for c in aws.consumers]
    assert [name for _, name, _ in rows] == sorted(declared)
    assert [depth for depth, name, _ in rows if name == consumer] == ["1"]
    assert all(depth == "0" for depth, name, _ in rows if name != consumer)
    assert runner.invoke(cli, ["dlq", "list", "--stage", "prod"]).stdout == ""

    by_queue_name = runner.invoke(cli, ["dlq", "list", _queues(aws).queue_url.rsplit("/", 1)[-1]])
    (message,) = [json.loads(line) for line in by_queue_name.stdout.splitlines()]
    assert (message["type"], message["tenant_id"], message["data"]) == ("job.queued", tenant_a.id,
                                                                         {"job_id": job_id, "kind": KIND.name})
    assert _depth(_queues(aws).dlq_url) == 1  # listing left it in place

    flaky.failing = False
    redriven = runner.invoke(cli, ["dlq", "redrive", consumer])
    assert redriven.exit_code == 0, redriven.output
    assert redriven.stdout.startswith("moved 1 messages")
    assert _depth(_queues(aws).dlq_url) == 0
    worker.drain()
    assert (_job(client, tenant_a.auth, job_id)["status"], _job(client, tenant_a.auth, job_id)["attempts"]) == (
        "succeeded", 4)


def test_on_aws_the_cli_redrives_with_a_message_move_task(client: TestClient, tenant_a: Tenant, worker: Worker,
                                                          aws: Provisioned, monkeypatch: pytest.MonkeyPatch) -> None:
    _failed_in_dlq(client, tenant_a, worker)
    sqs, moves = dlq.client(), list[dict[str, str]]()

    def start_message_move_task(**kwargs: str) -> dict[str, str]:  # moto does not implement it
        moves.append(kwargs)
        return {"TaskHandle": "t1"}

    monkeypatch.setattr(sqs, "start_message_move_task", start_message_move_task)
    monkeypatch.setattr(dlq, "client", lambda: sqs)
    redriven = CliRunner().invoke(cli, ["dlq", "redrive", f"jobs.{KIND.name}", "--aws"])
    assert redriven.exit_code == 0, redriven.output
    dlq_arn = boto3.client("sqs", region_name=settings().region).get_queue_attributes(
        QueueUrl=_queues(aws).dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    assert moves == [{"SourceArn": dlq_arn, "DestinationArn": _queues(aws).queue_arn}]


@pytest.mark.usefixtures("local_stack", "aws")
def test_the_cli_refuses_a_queue_it_does_not_know() -> None:
    result = CliRunner().invoke(cli, ["dlq", "redrive", "reports.nothing"])
    assert result.exit_code == 1
    assert "'reports.nothing' names no queue with a DLQ" in result.stderr
