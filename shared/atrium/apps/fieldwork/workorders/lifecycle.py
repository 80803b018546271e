"""Which statuses each change of a work order starts from: ``draft → scheduled → in_progress → completed →
invoiced → closed``, or ``canceled`` from draft, scheduled or in progress; an invoiced order whose invoice is voided
is completed again. A change from any other status is a 409
naming the order's status."""

from typing import Any, Literal

from atrium.apps.fieldwork.workorders.schemas import Status
from atrium.kernel.errors import Conflict

Change = Literal["update", "delete", "schedule", "start", "record_line_items", "complete", "cancel", "invoice",
                 "reopen", "close"]

FROM: dict[Change, frozenset[Status]] = {
    "update": frozenset({Status.DRAFT, Status.SCHEDULED}),
    "delete": frozenset({Status.DRAFT}),
    "schedule": frozenset({Status.DRAFT, Status.SCHEDULED}),  # a scheduled order is rescheduled
    "start": frozenset({Status.SCHEDULED}),
    "record_line_items": frozenset({Status.IN_PROGRESS}),
    "complete": frozenset({Status.IN_PROGRESS}),
    "cancel": frozenset({Status.DRAFT, Status.SCHEDULED, Status.IN_PROGRESS}),
    "invoice": frozenset({Status.COMPLETED}),
    "reopen": frozenset({Status.INVOICED}),  # its invoice was voided: it is to be invoiced again
    "close": frozenset({Status.INVOICED}),
}
TO: dict[Change, Status] = {"schedule": Status.SCHEDULED, "start": Status.IN_PROGRESS, "complete": Status.COMPLETED,
                            "cancel": Status.CANCELED, "invoice": Status.INVOICED, "reopen": Status.COMPLETED,
                            "close": Status.CLOSED}
_WORDS: dict[Change, str] = {"update": "changed", "delete": "deleted", "schedule": "scheduled", "start": "started",
                             "record_line_items": "given line items", "complete": "completed",
                             "cancel": "canceled", "invoice": "invoiced", "reopen": "reopened for invoicing",
                             "close": "closed"}


class WrongStatus(Conflict):
    """A change the order's status does not allow; the problem names the status (``work_order_status``)."""

    def __init__(self, status: Status, change: Change) -> None:
        allowed = " or ".join(s for s in Status if s in FROM[change])
        super().__init__(f"the work order is {status}: only a work order that is {allowed} is {_WORDS[change]}")
        self.work_order_status = status

    @property
    def extensions(self) -> dict[str, Any]:
        return {"work_order_status": self.work_order_status}


def check(status: str, change: Change) -> None:
    if Status(status) not in FROM[change]:
        raise WrongStatus(Status(status), change)
