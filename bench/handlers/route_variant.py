"""A route function entry for one variant of bench/handlers/route_variants.py, chosen by BENCH_ROUTE_VARIANT:
the counterpart of ``functions/api.py`` (which ATRIUM_ROUTE steers) for the sync vs async comparison."""

import os

from bench.handlers.route_variants import SELECTOR, build

handler = build(os.environ[SELECTOR])
