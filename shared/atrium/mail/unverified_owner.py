"""A tenant whose owner has not verified their email address sends only so many emails a day
(``unverified_owner_mails_per_day``): whoever signs up with an address that is not theirs cannot make the platform
mail the world. Mail about the recipient's own account (verification, password reset, welcome) is not counted:
it goes to the owner, and verifying needs it.

Signup marks the tenant (``UnverifiedOwnerItem``, in signup's transaction); the owner's verification (the emailed
link, or a completed password reset, which proves the mailbox too) deletes the mark in its own transaction. A
tenant created before this rule has no mark and is not held. A send reads the mark in the BatchGetItem that
reads the branding; for a marked tenant it takes one from the day's counter (one UpdateItem). Past the limit the
mail is skipped, not failed (a retry would change nothing): logged, counted in ``EmailsHeldUnverified`` and
audited as ``email.skipped`` in the tenant, so its admins see what was not sent and why.
"""

from aws_lambda_powertools.metrics import MetricUnit

from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.events.envelope import Ref
from atrium.kernel.observability import logger, metrics
from atrium.kernel.store.counters import Limit, LimitReached, take
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import current_tenant
from atrium.mail.categories import Category
from atrium.mail.models import UnverifiedOwnerItem

# Mail about the recipient's own account: sent whatever the tenant's standing.
OWN_ACCOUNT = frozenset({Category.SECURITY, Category.ACCOUNT})
MAILER = Ref(type="service", id="mail")
DAY = 24 * 3600


def mark_of(tenant_id: str) -> UnverifiedOwnerItem:
    """The tenant's mark, to read (unsaved, keys unassigned)."""
    return UnverifiedOwnerItem(tenant_id=tenant_id, id=tenant_id)


def hold_until_verified(uow: UnitOfWork, tenant_id: str, owner_user_id: str) -> None:
    """Mark a new tenant in ``uow`` (its signup)."""
    uow.create(UnverifiedOwnerItem(tenant_id=tenant_id, id=tenant_id, owner_user_id=owner_user_id),
               conflict=Conflict("id collision; retry"))


def release_if_owner(uow: UnitOfWork, tenant_id: str, user_id: str) -> None:
    """In ``uow`` (which proves ``user_id``'s address), delete the tenant's mark if that user is the owner it waits
    for; otherwise nothing. One consistent GetItem."""
    try:
        mark = UnverifiedOwnerItem.load(tenant_id, tenant_id, consistent=True)
    except NotFound:
        return
    if mark.owner_user_id == user_id:
        uow.delete(mark)


def held(mark: UnverifiedOwnerItem | None, *, to: str, template: str, category: Category) -> bool:
    """Whether this email is skipped: the tenant is marked and its day's emails are used up (counting this one
    otherwise)."""
    if mark is None or category in OWN_ACCOUNT:
        return False
    most = settings().unverified_owner_mails_per_day
    try:
        take(Limit("unverified_owner_mails", most, DAY, "the tenant's emails for today are used up"), mark.tenant_id,
             tenant_id=mark.tenant_id)
    except LimitReached:
        _record_skip(to=to, template=template, category=category, most=most)
        return True
    return False


def _record_skip(*, to: str, template: str, category: Category, most: int) -> None:
    logger.warning("email skipped: the tenant's owner has not verified their address and today's emails are used up",
                   extra={"template": template, "category": category, "limit": most})
    metrics.add_metric("EmailsHeldUnverified", MetricUnit.Count, 1)
    tenant_id = current_tenant()
    uow = UnitOfWork(tenant_id, MAILER)
    uow.record("email.skipped", subject=Ref(type="tenant", id=tenant_id), emit=False, data={
        "to": to, "template": template, "category": category.value, "reason": "owner_unverified_daily_limit",
        "limit": most})
    uow.commit()
