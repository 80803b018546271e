"""Where a device's sync stands, sealed in the opaque cursor it sends back as ``since`` (HMAC-bound to the tenant
and the caller, ``kernel/store/cursors.py``).

Writers stamp ``updated_at`` with their own clocks before their transactions land, and the open-orders index is
read eventually consistent, so a change stamped a little before a sync may become visible only after it. The next
sync therefore sends what changed after ``MARGIN`` before this one started (appearing twice is better than never),
and leaves out what the device has at the same version (``sent``: what this one sent or found it had, of what
changed in that margin): a quiet sync sends nothing again, and neither does the one after it.
"""

import datetime as dt

from pydantic import BaseModel, ValidationError

from atrium.kernel.errors import BadRequest
from atrium.kernel.store.cursors import decode_cursor, encode_cursor
from atrium.kernel.tenancy import Principal

MARGIN = dt.timedelta(minutes=5)


class Position(BaseModel):
    since: dt.datetime | None = None  # records changed after it are sent (none yet: every one)
    sent: dict[str, int] = {}  # records the device has at these versions, changed after ``since``: not sent again
    held: list[str] = []  # the orders the device holds
    # While a sync of several pages goes on:
    started: dt.datetime | None = None  # when its first page was read
    after: str | None = None  # the last order read
    seen: list[str] = []  # the caller's open orders read so far
    known: dict[str, int] = {}  # records the device has by now that changed after ``MARGIN`` before ``started``

    def next_sync(self) -> "Position":
        """Where the next sync starts once this one has read every page."""
        assert self.started is not None
        return Position(since=self.started - MARGIN, sent=self.known, held=self.seen)


def _query(principal: Principal) -> str:
    return f"fieldwork:sync:{principal.id}"


def seal(position: Position, principal: Principal) -> str:
    return encode_cursor(position.model_dump(mode="json", exclude_defaults=True), tenant_id=principal.tenant_id,
                         query=_query(principal))


def opened(since: str | None, principal: Principal) -> Position:
    """The position ``since`` seals (the start, without one), or 400 for one not issued to the caller."""
    if since is None:
        return Position()
    invalid = BadRequest("`since` is not a cursor a field sync gave you", errors=[
        {"field": "query.since", "message": "send the next_cursor of your last sync, or nothing"}])
    try:
        return Position.model_validate(decode_cursor(since, tenant_id=principal.tenant_id, query=_query(principal)))
    except (BadRequest, ValidationError):
        raise invalid from None
