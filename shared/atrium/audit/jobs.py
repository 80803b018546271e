"""Audit job kinds (``JOB_KINDS``): user-visible jobs started by a route."""

from atrium.audit.exports import EXPORT

JOB_KINDS = [EXPORT]
