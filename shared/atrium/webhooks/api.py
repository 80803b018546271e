"""The webhooks context's public face: the platform's guarded outbound HTTP (the SSRF guard, concurrent sends with
timeouts and no redirects), which other contexts' outbound calls go through (a plugin's ``http_fetch``)."""

from atrium.webhooks.sender import Outcome, Outgoing, send_all
from atrium.webhooks.ssrf import BlockedDestination, check_destination

__all__ = ["BlockedDestination", "Outcome", "Outgoing", "check_destination", "send_all"]
