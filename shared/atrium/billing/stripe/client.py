"""The Stripe SDK client, and Stripe's failures as problems: unreachable is a 503 (retry), an error answer a 502.

The SDK is imported when first called, not with this module: only the functions that call Stripe load it."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from atrium.kernel.config import settings
from atrium.kernel.errors import BadGateway, Unavailable
from atrium.kernel.observability import logger
from atrium.kernel.secrets import read_secret

if TYPE_CHECKING:
    import stripe

# Two retries, Stripe's own default (the SDK sends an Idempotency-Key with a retried POST), of calls that time out
# after 8 s: within a route's 29 s.
TIMEOUT_SECONDS = 8
NETWORK_RETRIES = 2
# The answers of a route calling Stripe, as its OpenAPI responses.
STRIPE_FAILURES: dict[int | str, dict[str, Any]] = {
    502: {"description": "Stripe answered with an error"},
    503: {"description": "Stripe could not be reached; retry"},
}


def stripe_client() -> "stripe.StripeClient":
    """A client with the stack's API key, calling ``stripe_api_base`` (the local fake) or, unset, Stripe."""
    return _client(read_secret(settings().stripe_api_key_secret_id), settings().stripe_api_base)


@lru_cache(maxsize=4)
def _client(api_key: str, api_base: str) -> "stripe.StripeClient":
    import stripe

    return stripe.StripeClient(api_key, base_addresses={"api": api_base} if api_base else None,
                               max_network_retries=NETWORK_RETRIES,
                               http_client=stripe.RequestsClient(timeout=TIMEOUT_SECONDS))


@contextmanager
def calling_stripe(purpose: str) -> Iterator[None]:
    """Turn what Stripe's SDK raises while doing ``purpose`` into a problem the caller can act on."""
    import stripe

    try:
        yield
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        logger.warning("stripe unavailable", extra={"purpose": purpose, "error": type(error).__name__,
                                                    "detail": str(error)[:500]})
        raise Unavailable(f"Stripe could not be reached to {purpose}; retry in a moment") from None
    except stripe.StripeError as error:
        logger.warning("stripe error", extra={"purpose": purpose, "error": type(error).__name__,
                                              "status": error.http_status, "code": error.code})
        raise BadGateway(f"Stripe refused to {purpose} ({error.http_status or 'no status'}"
                         f"{', ' + error.code if error.code else ''})") from None
