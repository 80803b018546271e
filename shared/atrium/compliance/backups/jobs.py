"""Backup job kinds (``JOB_KINDS``): taking a backup and restoring one."""

from atrium.compliance.backups.restore import RESTORE
from atrium.compliance.backups.snapshot import BACKUP

JOB_KINDS = [BACKUP, RESTORE]
