"""District submission schedules (``SCHEDULES``)."""

from datetime import datetime
from typing import Any

from atrium.apps.fieldwork.districts.models import DistrictItem
from atrium.apps.fieldwork.submissions.service import submit_batch
from atrium.apps.fieldwork.tenants import across_tenants
from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.events.schedules import ScheduleSpec
from atrium.kernel.grants import Grant
from atrium.kernel.observability import logger
from atrium.kernel.store import keys
from atrium.kernel.store.unit_of_work import RequestInfo

NAME = "fieldwork.submit_district_queues"
ACTOR = Ref(type="schedule", id=NAME)


def _submit_district(district: DistrictItem) -> int:
    """Submit every report waiting in the district's queue, a batch at a time; how many submissions that made."""
    made, start = 0, None
    while True:
        try:
            submission, start = submit_batch(district, ACTOR, RequestInfo(), start)
        except Conflict:  # a submission from the API took some of them meanwhile: the next run sends the rest
            logger.warning("district queue taken meanwhile", extra={"district_id": district.id})
            return made
        if submission is not None:
            made += 1
        if start is None:
            return made


def submit_district_queues(_at: datetime) -> dict[str, Any]:
    """For every tenant and each of its districts: submit the signed reports waiting in the district's queue."""
    visited, made = across_tenants(_submit_districts)
    return {"tenants": visited, "submissions": made}


def _submit_districts(tenant_id: str) -> int:
    districts = DistrictItem.gsi1.query(keys.collection_pk(tenant_id, DistrictItem.type_name()))
    return sum(_submit_district(district) for district in districts if isinstance(district, DistrictItem))


SCHEDULES = [
    ScheduleSpec(
        name=NAME,
        expression="rate(7 days)",
        handler=submit_district_queues,
        description="Submit every district's waiting signed test reports (each batch's job emails the district).",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE}),
        timeout_seconds=900,
    ),
]
