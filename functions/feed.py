"""Entry of every feed consumer: ATRIUM_FEED names the feed it runs."""

import os

from atrium import manifest
from atrium.kernel.runtime.feed import feed_handler

handler = feed_handler(manifest.feed(os.environ["ATRIUM_FEED"]))
