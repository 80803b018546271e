"""Job kinds of invoices."""

from atrium.apps.fieldwork.invoices.sending import SEND_INVOICE

JOB_KINDS = [SEND_INVOICE]
