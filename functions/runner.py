"""Entry of every runner: ATRIUM_RUNNER names the runner it serves."""

import os

from atrium import manifest
from atrium.kernel.runtime.runner import runner_handler

handler = runner_handler(manifest.runner(os.environ["ATRIUM_RUNNER"]))
