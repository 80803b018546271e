"""Entry of every schedule's function: ATRIUM_SCHEDULE names the schedule it runs."""

import os

from atrium import manifest
from atrium.kernel.runtime.schedule import schedule_handler

handler = schedule_handler(manifest.schedule(os.environ["ATRIUM_SCHEDULE"]))
