"""Consumers' queues and DLQs, their depths, the messages parked in a DLQ, and redrive (``atrium dlq``)."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from atrium_local import dlq
from atrium_local.console.pages import back_to, not_found, page

PARKED_SHOWN = 5  # of each DLQ's messages
router = APIRouter()


@dataclass(frozen=True)
class QueueRow:
    found: dlq.QueueDlq
    waiting: int
    in_flight: int
    parked: list[dict[str, Any]]


def _row(sqs: Any, found: dlq.QueueDlq) -> QueueRow:
    attributes = sqs.get_queue_attributes(QueueUrl=found.queue_url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    parked = dlq.peek(sqs, found, limit=PARKED_SHOWN) if found.depth else []
    return QueueRow(found, int(attributes["ApproximateNumberOfMessages"]),
                    int(attributes["ApproximateNumberOfMessagesNotVisible"]), parked)


@router.get("/_local/queues")
def queues(request: Request, redriven: str | None = None, moved: int | None = None) -> HTMLResponse:
    sqs = dlq.client()
    return page(request, "queues.html", rows=[_row(sqs, found) for found in dlq.queue_dlqs(sqs)],
                redriven=redriven, moved=moved)


@router.post("/_local/queues/{name}/redrive")
def redrive(request: Request, name: str) -> Response:
    """Move the DLQ's messages back to their queue; ``name`` is the consumer's, its queue's or its DLQ's."""
    sqs = dlq.client()
    try:
        found = dlq.find(dlq.queue_dlqs(sqs), name)
    except LookupError as error:
        return not_found(request, str(error))
    moved = dlq.move_back(sqs, found)
    return back_to(f"/_local/queues?{urlencode({'redriven': found.name, 'moved': moved})}")
