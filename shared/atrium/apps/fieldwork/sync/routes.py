"""The field sync route."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Query

from atrium.apps.fieldwork.routing import SYNC_PATH
from atrium.apps.fieldwork.sync.schemas import FieldSync
from atrium.kernel.grants import READ, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_module

if TYPE_CHECKING:
    from atrium.apps.fieldwork.sync import service as sync
else:
    sync = lazy_module("atrium.apps.fieldwork.sync.service")

router = ContextRouter("fieldwork")


@router.get(SYNC_PATH, name="sync_field_work", permission="work_orders:perform",
            grants={*READ, Grant.CURSOR_KEY_READ},
            responses={400: {"description": "`since` is not a cursor a field sync gave the caller"}})
def sync_field_work(principal: CurrentPrincipal,
                    since: Annotated[str | None, Query(max_length=8000, description="The `next_cursor` of the last "
                                                                                    "sync; none: everything")] = None,
                    ) -> FieldSync:
    """What the caller's device keeps for working offline, as it changed since ``since``: the caller's open work
    orders (scheduled or in progress), their assemblies, those assemblies' sites and last signed reports, each with
    its ETag; and the orders to drop. Ask again with ``next_cursor`` while ``has_more``, and keep the last one for
    the next sync."""
    return sync.field_sync(principal, since)
