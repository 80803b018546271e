"""Entry of every scheduled job: ATRIUM_JOB names the job it runs."""

import os

from atrium import manifest
from atrium.kernel.runtime.schedule import schedule_handler

handler = schedule_handler(manifest.schedule(os.environ["ATRIUM_JOB"]))
