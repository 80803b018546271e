"""Entry of every consumer, whatever its source: ATRIUM_CONSUMER names the consumer it runs."""

import os

from atrium import manifest
from atrium.kernel.runtime.consumer import consumer_handler

handler = consumer_handler(manifest.consumer(os.environ["ATRIUM_CONSUMER"]))
