"""``GET /v1/health``: 200 after a real read of the table, 503 problem when it is unreachable."""

from botocore.exceptions import BotoCoreError
from pydantic import BaseModel
from pynamodb.exceptions import PynamoDBException

from atrium.kernel import clock
from atrium.kernel.errors import Unavailable
from atrium.kernel.grants import Grant
from atrium.kernel.http.routing import PUBLIC, ContextRouter
from atrium.kernel.store.models import GlobalEntity

router = ContextRouter("system")


class HealthProbe(GlobalEntity, discriminator="HealthProbe"):
    """Never written: reading its (absent) item proves the table answers."""


class Health(BaseModel):
    status: str
    checked_at: str


@router.get("/v1/health", name="health", permission=PUBLIC, grants={Grant.TABLE_READ},
            responses={503: {"description": "The table is unreachable"}})
def health() -> Health:
    try:
        HealthProbe.find("probe")
    except (PynamoDBException, BotoCoreError) as error:
        raise Unavailable("the data store is unreachable") from error
    return Health(status="ok", checked_at=clock.iso(clock.now()))
