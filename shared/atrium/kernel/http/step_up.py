"""Step-up ("sudo mode"): a route declared ``step_up=True`` needs a caller who proved a secret (a password or an
MFA code) within the last ``settings().step_up_seconds``, as the access token says (``Principal.stepped_up_at``).
A stolen access token alone then cannot bind an authenticator, mint an API token or read a secret.

Refused callers get RFC 9470's answer: 401 with ``WWW-Authenticate: Bearer error="insufficient_user_authentication",
max_age=...``. API tokens hold no password to prove, so such routes refuse them (403).
"""

from typing import Any

from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import AtriumError
from atrium.kernel.tenancy import Principal

API_TOKEN_REFUSAL = ("API tokens cannot do this: it needs a signed-in user who has just confirmed their password or "
                     "MFA code (step-up)")
ERROR = "insufficient_user_authentication"
SLUG = "step-up-required"

# What a step-up route's OpenAPI operation adds to the common responses.
RESPONSES: dict[int, dict[str, Any]] = {401: {
    "description": f"Missing or invalid credentials, or no recent step-up (problem type urn:atrium:problem:{SLUG}):"
                   " confirm a password or MFA code, then call again with the access token that returns",
    "headers": {"WWW-Authenticate": {"description": f'Bearer error="{ERROR}", max_age=<seconds>',
                                     "schema": {"type": "string"}}}}}


class StepUpRequired(AtriumError):
    status, title, slug = 401, "Step-Up Required", SLUG

    def __init__(self) -> None:
        super().__init__("this action needs a recent confirmation of your password or MFA code (step-up); confirm it, "
                         "then call again with the access token that returns")

    @property
    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": f'Bearer error="{ERROR}", max_age={settings().step_up_seconds}'}


def require_step_up(principal: Principal) -> None:
    """Raise ``StepUpRequired`` unless ``principal`` stepped up recently enough (in whole seconds, as tokens count)."""
    at = principal.stepped_up_at
    if at is None or clock.epoch() - at.timestamp() > settings().step_up_seconds:
        raise StepUpRequired()
