"""What a webhook endpoint's URL may be: https (http only where ``ATRIUM_WEBHOOK_ALLOW_HTTP`` is set, as on
the local stack), with a host, without credentials or a fragment, and not an IP literal the SSRF guard
refuses. A host name is resolved and checked at connection time, not here: DNS answers change."""

from urllib.parse import urlsplit

from atrium.kernel.config import settings
from atrium.kernel.errors import Unprocessable
from atrium.webhooks import ssrf


def _problem(url: str) -> str | None:
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        return "must not contain spaces or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises on a port out of range or not a number
    except ValueError as error:
        return f"is not a URL: {error}"
    schemes = ("https", "http") if settings().webhook_allow_http else ("https",)
    if parts.scheme not in schemes:
        return "must be an https URL"
    if parts.username is not None or parts.password is not None:
        return "must not contain credentials"
    if not parts.hostname:
        return "must have a host"
    if parts.fragment:
        return "must not have a fragment"
    try:
        literal = ssrf.literal_address(parts.hostname)
        if literal is not None:
            ssrf.check_address(literal)
    except ssrf.BlockedDestination as error:
        return f"is refused: {error}"
    return None


def check_url(url: str, *, field: str) -> str:
    problem = _problem(url)
    if problem:
        raise Unprocessable(f"the endpoint URL {problem}", errors=[{"field": field, "message": problem,
                                                                    "code": "invalid_url"}])
    return url
