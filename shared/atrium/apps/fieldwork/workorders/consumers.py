"""Work order consumers: the customer is emailed when a visit is booked, moved or canceled."""

from atrium.apps.fieldwork.events import WORK_ORDER_CANCELED, WORK_ORDER_SCHEDULED
from atrium.apps.fieldwork.workorders import emails
from atrium.kernel.consumers import ConsumerSpec, Events
from atrium.kernel.grants import Grant

CONSUMERS = [
    ConsumerSpec(
        name="fieldwork.email_work_order_status",
        source=Events(types=(WORK_ORDER_SCHEDULED.name, WORK_ORDER_CANCELED.name)),
        handler=emails.email_customer,
        description="Email a work order's customer (its billing contact) the day, window, site and assemblies of a "
                    "visit scheduled or moved, or that a visit with a day was canceled.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.MAIL_SEND}),
    ),
]
