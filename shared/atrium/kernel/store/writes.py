"""Single-item writes that race other writers, and whether an item exists: for code outside a unit of work
(consumers keeping state that only matters while it lasts) and for checking what a lost answer did."""

from collections.abc import Callable

from pynamodb.exceptions import DoesNotExist, PynamoDBException

from atrium.kernel.store.models import Item

CONDITION_FAILED = "ConditionalCheckFailedException"


def condition_failed(error: Exception) -> bool:
    return getattr(error, "cause_response_code", None) == CONDITION_FAILED


def unless_raced(write: Callable[[], object]) -> bool:
    """Run a conditional write (a versioned save, a put if absent); False when its condition failed because
    another writer got there first. Other errors propagate."""
    try:
        write()
    except PynamoDBException as error:
        if condition_failed(error):
            return False
        raise
    return True


def exists(item: Item) -> bool:
    """Whether ``item``'s key is in the table now (a consistent read)."""
    try:
        type(item).get(item.pk, item.sk, consistent_read=True)
    except DoesNotExist:
        return False
    return True
