"""What the moto world holds: the effects the fault tests count."""

from collections import Counter

import boto3

from atrium.identity.schemas import SignupRequest
from atrium.identity.signup import signup
from atrium.kernel.config import settings
from atrium.kernel.store.unit_of_work import RequestInfo
from atrium_local.mailbox import sent_mail

PASSWORD = "correct horse battery staple"


def sign_up(count: int) -> list[str]:
    """``count`` tenants through the service (no faults yet); returns the owners' emails."""
    emails = [f"owner{i}@example.com" for i in range(count)]
    for i, email in enumerate(emails):
        signup(SignupRequest(tenant_name=f"Tenant {i}", email=email, password=PASSWORD), RequestInfo())
    return emails


def items() -> Counter[str]:
    """Items per kind; audit entries and outbox events also per action (``Audit:tenant.created``), records of
    processed events also per consumer (``Processed:identity.send_welcome_email``)."""
    scan = boto3.client("dynamodb", region_name=settings().region).scan(TableName=settings().table_name)["Items"]
    kinds: Counter[str] = Counter()
    for item in scan:
        kind = item.get("entity", {}).get("S", "Processed")
        kinds[kind] += 1
        action = item.get("action", item.get("event_type", {})).get("S")
        if action:
            kinds[f"{kind}:{action}"] += 1
        if kind == "Processed":  # the consumer's idempotency record: pk G#Processed#<consumer>
            kinds[f"Processed:{item['pk']['S'].split('#')[2]}"] += 1
    return kinds


def welcome_emails() -> Counter[str]:
    """How many emails each address received."""
    return Counter(mail["to"] for mail in sent_mail())


def queue_depth(url: str) -> int:
    """Messages in a queue, in flight ones included."""
    attributes = boto3.client("sqs", region_name=settings().region).get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    return sum(int(value) for value in attributes["Attributes"].values())
