"""Which statuses each change of an invoice starts from: ``draft → sent → paid``, ``sent → overdue → paid``, and
``void`` from draft, sent or overdue (while nothing is paid). A change from any other status is a 409 naming the
invoice's status (``invoice_status``)."""

from typing import Any, Literal

from atrium.apps.fieldwork.invoices.schemas import Status
from atrium.kernel.errors import Conflict

Change = Literal["update", "send", "pay", "void"]

FROM: dict[Change, frozenset[Status]] = {
    "update": frozenset({Status.DRAFT}),
    "send": frozenset({Status.DRAFT}),
    "pay": frozenset({Status.SENT, Status.OVERDUE}),
    "void": frozenset({Status.DRAFT, Status.SENT, Status.OVERDUE}),
}
_WORDS: dict[Change, str] = {"update": "changed", "send": "sent", "pay": "paid", "void": "voided"}


class WrongStatus(Conflict):
    """A change the invoice's status does not allow; the problem names the status (``invoice_status``)."""

    def __init__(self, status: Status, change: Change) -> None:
        allowed = " or ".join(s for s in Status if s in FROM[change])
        super().__init__(f"the invoice is {status}: only an invoice that is {allowed} is {_WORDS[change]}")
        self.invoice_status = status

    @property
    def extensions(self) -> dict[str, Any]:
        return {"invoice_status": self.invoice_status}


def check(status: str, change: Change) -> None:
    if Status(status) not in FROM[change]:
        raise WrongStatus(Status(status), change)
