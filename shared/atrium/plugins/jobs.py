"""The plugins context's job kinds (``JOB_KINDS``): installing a plugin (or upgrading it), and checking a version
a developer submitted to the marketplace."""

from atrium.plugins.installs import INSTALL
from atrium.plugins.marketplace.submissions import SCAN_SUBMISSION

JOB_KINDS = [INSTALL, SCAN_SUBMISSION]
