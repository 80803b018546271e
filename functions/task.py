"""Entry of every task consumer: ATRIUM_TASK names the task queue it runs."""

import os

from atrium import manifest
from atrium.kernel.runtime.task import task_handler

handler = task_handler(manifest.task(os.environ["ATRIUM_TASK"]))
