"""Fieldwork consumers: a due-date reminder emailed to the customer."""

from atrium.apps.fieldwork.events import ASSEMBLY_DUE_SOON, ASSEMBLY_OVERDUE
from atrium.apps.fieldwork.reminders.emails import email_due_reminder
from atrium.kernel.consumers import ConsumerSpec, Events
from atrium.kernel.grants import Grant

CONSUMERS = [
    ConsumerSpec(
        name="fieldwork.email_due_reminders",
        source=Events(types=(ASSEMBLY_DUE_SOON.name, ASSEMBLY_OVERDUE.name)),
        handler=email_due_reminder,
        description="Email an assembly's customer (its billing contact) the reminder of its due date: 60, 30 and 7 "
                    "days before it, and the day it is overdue.",
        grants=frozenset({Grant.TABLE_READ, Grant.MAIL_SEND}),
    ),
]
