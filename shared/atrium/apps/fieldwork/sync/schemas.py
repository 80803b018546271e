"""API shapes of the field sync: each record with its ETag (the If-Match of a write from the field)."""

from pydantic import BaseModel, Field

from atrium.apps.fieldwork.assemblies.schemas import AssemblyOut
from atrium.apps.fieldwork.customers.schemas import SiteOut
from atrium.apps.fieldwork.reports.schemas import ReportOut
from atrium.apps.fieldwork.workorders.schemas import WorkOrderOut


class Versioned(BaseModel):
    etag: str = Field(description="The record's ETag: send it in If-Match to change the record")


class SyncedWorkOrder(WorkOrderOut, Versioned):
    pass


class SyncedAssembly(AssemblyOut, Versioned):
    pass


class SyncedSite(SiteOut, Versioned):
    pass


class SyncedReport(ReportOut, Versioned):
    pass


class FieldSync(BaseModel):
    """What changed for the caller since its cursor (everything, without one): records to add or replace on the
    device, and orders to drop."""

    work_orders: list[SyncedWorkOrder] = Field(description="The caller's open orders (scheduled or in progress) that "
                                                           "changed, or that the device does not have yet")
    assemblies: list[SyncedAssembly] = Field(description="Those orders' assemblies that changed (all of a changed "
                                                         "order's)")
    sites: list[SyncedSite] = Field(description="Those assemblies' sites that changed")
    reports: list[SyncedReport] = Field(description="Those assemblies' last signed reports that changed")
    removed: list[str] = Field(description="Orders the device has that are no longer the caller's open orders "
                                           "(reassigned, canceled, completed): drop them, and the records only "
                                           "they named")
    has_more: bool = Field(description="The sync goes on: ask again at once with `next_cursor`")
    next_cursor: str = Field(description="Send it as `since`: next (with `has_more`), or at the next sync")
