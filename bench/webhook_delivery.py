"""Webhook delivery throughput: one delivery consumer (the ``webhooks.deliver`` task handler, batches of 10
as SQS hands them) against a receiver on this machine, side by side with plain httpx posting the same bodies
to the same receiver, 10 at a time over one pooled client. The ratio is what delivery adds per message:
reading and claiming the delivery, signing, the SSRF check, recording the attempt (DynamoDB is moto here,
so that part is slower than in AWS; the calls per message are counted too).

Rounds interleave the two (consumer, httpx, consumer, httpx, ...) in one child process; the receiver runs in
another process. The child provisions its own moto world in process (in-process moto, as the API tests use),
so its thousands of writes leave the run's moto server to the other sections.
"""

import asyncio
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from bench.moto_world import PASSWORD, MotoWorld
from bench.report import Table
from bench.scale import Scale
from bench.spawn import REPO, run_child
from bench.stats import median, ms, ratio

BATCH = 10


@dataclass(frozen=True)
class DeliveryThroughput:
    messages: int  # per round
    rounds: int
    consumer_s: list[float]  # seconds per message, one value per round
    consumer_own_s: list[float]  # the same without the time inside AWS calls (moto here, not DynamoDB)
    httpx_s: list[float]
    dynamodb_per_message: float
    sqs_per_message: float
    delivered: int

    def table(self) -> Table:
        consumer, own, plain = median(self.consumer_s), median(self.consumer_own_s), median(self.httpx_s)
        return Table(
            title=f"Webhook delivery throughput ({self.messages} messages a round, {self.rounds} rounds, batches of "
                  f"{BATCH})",
            columns=("sender", "messages/s", "ms per message", "vs plain httpx", "ms outside AWS calls",
                     "outside AWS vs plain httpx", "DynamoDB calls/message", "SQS calls/message"),
            rows=[("webhooks.deliver consumer", f"{1 / consumer:.0f}", ms(consumer), ratio(consumer, plain), ms(own),
                   ratio(own, plain), f"{self.dynamodb_per_message:.2f}", f"{self.sqs_per_message:.2f}"),
                  ("plain httpx (AsyncClient, 10 at once)", f"{1 / plain:.0f}", ms(plain), "1.00x", ms(plain),
                   "1.00x", "0", "0")],
            notes=[f"Every one of the consumer's {self.delivered} attempts succeeded (204). Per message it reads "
                   "the batch's items in one BatchGetItem, claims the delivery (PutItem) and records the attempt "
                   "(TransactWriteItems). Moto answers those slower than DynamoDB, so 'outside AWS calls' is our "
                   "code's own overhead: signing, the SSRF check, the models, the event loop."])


def run(world: MotoWorld, scale: Scale) -> DeliveryThroughput:
    receiver = subprocess.Popen([sys.executable, "-m", "bench.handlers.webhook_receiver"], cwd=REPO,
                                stdout=subprocess.PIPE, text=True, env=world.child_env())
    try:
        assert receiver.stdout is not None
        url = f"http://127.0.0.1:{receiver.stdout.readline().strip()}/hooks"
        # As the local stack does: let deliveries reach this machine.
        env = {name: value for name, value in world.child_env().items() if name != "AWS_ENDPOINT_URL"}
        env |= {"ATRIUM_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8", "ATRIUM_WEBHOOK_ALLOW_HTTP": "true"}
        job = {"url": url, "messages": scale.webhook_messages, "rounds": scale.webhook_rounds}
        result = run_child("bench.webhook_delivery", job, env).result
    finally:
        receiver.kill()
        receiver.wait()
    return DeliveryThroughput(scale.webhook_messages, scale.webhook_rounds, **result)


def _queued_batches(queue_url: str, count: int) -> list[dict[str, Any]]:
    """The ``count`` delivery tasks on the queue, as SQS events of up to 10 records (not timed)."""
    from atrium_local.environment import aws_client
    from atrium_local.worker import sqs_event

    sqs, batches, seen = aws_client("sqs"), [], 0
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    while seen < count:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=BATCH,
                                       AttributeNames=["All"]).get("Messages", [])
        seen += len(messages)
        if messages:
            batches.append(sqs_event(messages, arn))
    return batches


def _consumer_round(client: Any, auth: dict[str, str], endpoint: str, handler: Any, queue_url: str,
                    calls: list[Any], messages: int) -> tuple[float, float, int, int, int, list[bytes]]:
    """Seconds per message (all, and outside AWS calls), DynamoDB and SQS calls, attempts that succeeded, and
    the bodies sent."""
    from atrium_local.lambda_context import LocalContext

    ids = [client.post(f"/v1/webhook-endpoints/{endpoint}/test", json={"event_type": "member.joined"},
                       headers=auth).json()["message_ids"][0] for _ in range(messages)]
    batches = _queued_batches(queue_url, messages)
    before = len(calls)
    started = time.perf_counter()
    for event in batches:
        assert handler(event, LocalContext("webhooks.deliver", 60))["batchItemFailures"] == []
    elapsed = time.perf_counter() - started
    during = calls[before:]
    sent = [client.get(f"/v1/webhook-messages/{message_id}", headers=auth).json() for message_id in ids]
    succeeded = sum(1 for m in sent if m["deliveries"][0]["status"] == "succeeded")
    bodies = [json.dumps(m["payload"], separators=(",", ":"), ensure_ascii=False).encode() for m in sent]
    in_aws = sum(c.seconds for c in during)
    return (elapsed / messages, (elapsed - in_aws) / messages, sum(c.service == "dynamodb" for c in during),
            sum(c.service == "sqs" for c in during), succeeded, bodies)


def _httpx_round(url: str, bodies: list[bytes]) -> float:
    import httpx

    async def post_all() -> None:
        async with httpx.AsyncClient() as client:
            for start in range(0, len(bodies), BATCH):
                answers = await asyncio.gather(*(client.post(url, content=body, headers={
                    "content-type": "application/json"}) for body in bodies[start:start + BATCH]))
                assert all(answer.status_code == 204 for answer in answers)

    started = time.perf_counter()
    asyncio.run(post_all())
    return (time.perf_counter() - started) / len(bodies)


def _measure(url: str, messages: int, rounds: int) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from atrium import manifest
    from atrium.kernel.runtime.consumer import consumer_handler
    from atrium.kernel.tasks import queue_address, queue_name
    from atrium_local.devserver import local_app
    from tests.support.aws_hook import recording_aws_calls

    spec = manifest.consumer("webhooks.deliver")
    handler, (queue_url, _) = consumer_handler(spec), queue_address(queue_name(spec.name))
    consumer_s, consumer_own_s, httpx_s, dynamodb, sqs, delivered = [], [], [], 0, 0, 0
    with TestClient(local_app()) as client, recording_aws_calls() as calls:
        signed_up = client.post("/v1/signup", json={"tenant_name": "Delivery bench", "email": "delivery@bench.example",
                                                    "password": PASSWORD})
        signed_up.raise_for_status()
        auth = {"Authorization": f"Bearer {signed_up.json()['access_token']}"}
        created = client.post("/v1/webhook-endpoints", json={"url": url, "event_types": ["member.joined"]},
                              headers=auth)
        created.raise_for_status()
        for _ in range(rounds):
            per_message, own, dynamodb_calls, sqs_calls, succeeded, bodies = _consumer_round(
                client, auth, created.json()["id"], handler, queue_url, calls, messages)
            consumer_s.append(per_message)
            consumer_own_s.append(own)
            dynamodb, sqs, delivered = dynamodb + dynamodb_calls, sqs + sqs_calls, delivered + succeeded
            httpx_s.append(_httpx_round(url, bodies))
    return {"consumer_s": consumer_s, "consumer_own_s": consumer_own_s, "httpx_s": httpx_s,
            "dynamodb_per_message": dynamodb / (rounds * messages), "sqs_per_message": sqs / (rounds * messages),
            "delivered": delivered}


def main() -> None:
    from moto import mock_aws

    from atrium_local.atomic_writes import atomic_dynamodb_writes
    from atrium_local.provision import provision

    job = json.loads(os.environ["BENCH_JOB"])
    with mock_aws(), atomic_dynamodb_writes():
        provision()
        result = _measure(job["url"], job["messages"], job["rounds"])
    with open(os.environ["BENCH_RESULT"], "w") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main()
