"""Entry of every route function: ATRIUM_ROUTE names the operation id it serves."""

import os

from atrium import manifest
from atrium.kernel.runtime.api import route_handler

handler = route_handler(manifest.route(os.environ["ATRIUM_ROUTE"]))
