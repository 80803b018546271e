"""Job kinds of district submissions."""

from atrium.apps.fieldwork.submissions.sending import SEND_SUBMISSION

JOB_KINDS = [SEND_SUBMISSION]
