"""The ``http`` host function, ``http_fetch``: one outbound request to a host the plugin's manifest allows
(``http_hosts``, exactly), over https (http only where the stage allows it, as for webhooks), through the
platform's SSRF guard: a host resolving to a private, loopback, link-local or metadata address is refused even
when allowed by name, and so is a redirect (never followed). The request:
``{"method", "url", "headers", "body"}``; the answer: ``{"status", "body"}`` (the body's first 256 KB, as text)."""

from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from atrium.kernel.config import settings
from atrium.plugins.hook_calls import HookCall
from atrium.plugins.runtime.sandbox import Power, PowerError
from atrium.webhooks.api import Outgoing, send_all

RESPONSE_BYTES = 256 * 1024
USER_AGENT = "Atrium-Plugins/1.0"


class FetchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = "GET"
    url: str = Field(max_length=2048)
    headers: dict[str, str] = Field(default_factory=dict, max_length=20)
    body: str = Field("", max_length=256 * 1024)


def _checked_url(url: str, allowed: list[str]) -> None:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        raise PowerError(f"not a URL: {url[:100]}") from None
    schemes = {"https", "http"} if settings().webhook_allow_http else {"https"}
    if parts.scheme not in schemes:
        raise PowerError(f"the URL must be {' or '.join(sorted(schemes))}")
    if host not in allowed:
        raise PowerError(f"the host {host!r} is not among the plugin's http_hosts {allowed}")


def http_powers(call: HookCall) -> dict[str, Power]:
    def fetch(request: Any) -> Any:
        try:
            wanted = FetchRequest.model_validate(request)
        except ValidationError as invalid:
            raise PowerError(f"http_fetch: {invalid.errors()[0]['msg']} at {invalid.errors()[0]['loc']}") from None
        _checked_url(wanted.url, call.http_hosts)
        headers = {name.lower(): value for name, value in wanted.headers.items() if name.lower() != "host"}
        (outcome,) = send_all([Outgoing(url=wanted.url, body=wanted.body.encode(), method=wanted.method,
                                        headers={"user-agent": USER_AGENT, **headers},
                                        response_bytes=RESPONSE_BYTES)])
        if outcome.error is not None:
            raise PowerError(outcome.error)
        return {"status": outcome.status_code, "body": outcome.response_body}

    return {"http_fetch": fetch}
