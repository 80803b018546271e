"""Entry of every route function: ATRIUM_ROUTE names the operation id it serves."""

import os

import atrium.kernel.runtime.deferred_models  # noqa: F401 (first: before any model is defined)
from atrium import manifest
from atrium.kernel.runtime.api import route_handler

handler = route_handler(manifest.route(os.environ["ATRIUM_ROUTE"]))
