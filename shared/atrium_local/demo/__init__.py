"""The demo: a tenant with a user per built-in role, proofs in every state, a template in the gallery, a webhook
endpoint and a verified audit chain, made through the public API of a running stack (``atrium demo``,
``atrium dev --demo``). Running it again makes only what is missing."""

from atrium_local.demo.api import DemoError, Stack
from atrium_local.demo.run import Report, fill, run_demo

__all__ = ["DemoError", "Report", "Stack", "fill", "run_demo"]
