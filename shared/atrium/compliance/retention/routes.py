"""Retention routes: how long the tenant keeps each kind of its data."""

from typing import TYPE_CHECKING

from fastapi import Response

from atrium.compliance.retention.schemas import RetentionChange, RetentionOut, RetentionRuleOut
from atrium.kernel.grants import READ, WRITE
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.routing import ETAG_HEADER, ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.compliance.retention import settings
    from atrium.kernel.retention import RetentionRule
else:
    (settings,) = lazy_modules("atrium.compliance.retention", "settings")

router = ContextRouter("retention")
PATH = "/v1/privacy/retention"


def _answer(days: "dict[RetentionRule, int]", version: int, response: Response) -> RetentionOut:
    response.headers["ETag"] = etag(version)
    return RetentionOut(rules=[RetentionRuleOut(name=rule.name, description=rule.description, days=value,
                                                default_days=rule.default_days, minimum_days=rule.minimum_days,
                                                maximum_days=rule.maximum_days) for rule, value in days.items()])


@router.get(PATH, name="get_retention", permission="privacy:read", grants=READ,
            responses={200: {"headers": ETAG_HEADER}})
def get_retention(principal: CurrentPrincipal, response: Response) -> RetentionOut:
    """How long the tenant keeps each kind of its data, and the bounds it may choose within. The ETag is "0" until
    the tenant chooses."""
    return _answer(*settings.read(principal.tenant_id), response)


@router.put(PATH, name="update_retention", permission="privacy:manage", grants=WRITE,
            responses={200: {"headers": ETAG_HEADER}, 412: {"description": "If-Match does not match"},
                       428: {"description": "If-Match missing"}})
def update_retention(body: RetentionChange, principal: CurrentPrincipal, version: ExpectedVersion,
                     info: CurrentRequest, response: Response) -> RetentionOut:
    """Choose how long some kinds of the tenant's data are kept; the daily purge deletes what is older. Requires
    If-Match."""
    return _answer(*settings.change(principal, body.days, version, info), response)
