"""The plugins context's job kinds (``JOB_KINDS``): installing a plugin."""

from atrium.plugins.installs import INSTALL

JOB_KINDS = [INSTALL]
