"""Benchmarks (not tests): cold start, warm overhead, sync vs async endpoints, AWS calls and cost per operation.
Run ``python -m bench``."""

import sys

# Atrium's sources have no .pyc (as in the Lambda layer); a run must not leave any that would speed up the next.
sys.dont_write_bytecode = True
