"""Event types metering consumes: the requests the rate limiter counted, put on the bus by the stream relay."""

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType
from atrium.kernel.events.request_counts import REQUESTS_COUNTED


class RequestsCounted(BaseModel):
    # Per one-minute window (its start, epoch seconds): the highest count of the tenant's requests the relay saw.
    windows: dict[int, int]


REQUESTS_COUNTED_EVENT = EventType(REQUESTS_COUNTED, RequestsCounted,
                                   "The rate limiter counted the tenant's API requests (put on the bus by the stream "
                                   "relay; metering's source of the api_requests meter).", deliverable=False)

EVENT_TYPES = [REQUESTS_COUNTED_EVENT]
