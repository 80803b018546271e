"""Job kinds of monthly summaries."""

from atrium.apps.fieldwork.summaries.sending import SEND_MONTHLY_SUMMARY

JOB_KINDS = [SEND_MONTHLY_SUMMARY]
