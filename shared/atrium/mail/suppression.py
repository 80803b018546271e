"""The suppression list: addresses that hard-bounced or complained. Sends to them are skipped."""

from aws_lambda_powertools.metrics import MetricUnit

from atrium.kernel import clock
from atrium.kernel.observability import logger, metrics
from atrium.kernel.store.writes import unless_raced
from atrium.mail.models import SuppressionItem

BOUNCE, COMPLAINT = "bounce", "complaint"


def normalize(address: str) -> str:
    """One key per mailbox however the address was typed (SES's own suppression list ignores case too)."""
    return address.strip().lower()


def suppression_of(address: str) -> SuppressionItem:
    """The item to look up for ``address`` (unsaved: read it, e.g. in a batch with other items)."""
    return SuppressionItem(natural_key=normalize(address))


def suppress(address: str, *, reason: str, feedback_id: str) -> bool:
    """Put ``address`` on the list; False if it already was (the first reason stays)."""
    item = SuppressionItem(natural_key=normalize(address), reason=reason, feedback_id=feedback_id,
                           suppressed_at=clock.now())
    if not unless_raced(lambda: item.save(condition=SuppressionItem.pk.does_not_exist(),
                                          add_version_condition=False)):
        return False
    logger.info("address suppressed", extra={"reason": reason, "feedback_id": feedback_id})
    metrics.add_metric("AddressesSuppressed", MetricUnit.Count, 1)
    return True


def record_skipped(suppression: SuppressionItem) -> None:
    """Count a send skipped because of ``suppression``, on its item (one UpdateItem, no read)."""
    suppression.update(actions=[SuppressionItem.skipped_sends.add(1), SuppressionItem.last_skipped_at.set(clock.now())],
                       add_version_condition=False)
    logger.info("email to a suppressed address skipped", extra={"reason": suppression.reason})
    metrics.add_metric("EmailsSuppressed", MetricUnit.Count, 1)
