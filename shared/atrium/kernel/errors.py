"""Domain errors. Each maps to one RFC 9457 problem response at the HTTP edge."""

from typing import Any, ClassVar


class AtriumError(Exception):
    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal Server Error"
    slug: ClassVar[str] = "internal"

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []

    @property
    def headers(self) -> dict[str, str]:
        """Response headers the problem carries (``Retry-After`` and the like)."""
        return {}

    @property
    def extensions(self) -> dict[str, Any]:
        """Extra members of the problem body (RFC 9457 §3.2)."""
        return {}


class BadRequest(AtriumError):
    status, title, slug = 400, "Bad Request", "bad-request"


class Unauthenticated(AtriumError):
    status, title, slug = 401, "Unauthorized", "unauthenticated"


class Forbidden(AtriumError):
    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(AtriumError):
    status, title, slug = 404, "Not Found", "not-found"


class Conflict(AtriumError):
    status, title, slug = 409, "Conflict", "conflict"


class Gone(AtriumError):
    """The resource existed and will not come back (an expired invitation)."""

    status, title, slug = 410, "Gone", "gone"


class ContentTooLarge(AtriumError):
    """A body within the request limit that is still too large for what it is stored as."""

    status, title, slug = 413, "Content Too Large", "content-too-large"


class PreconditionFailed(AtriumError):
    status, title, slug = 412, "Precondition Failed", "precondition-failed"


class Unprocessable(AtriumError):
    status, title, slug = 422, "Unprocessable Content", "unprocessable"


class PreconditionRequired(AtriumError):
    status, title, slug = 428, "Precondition Required", "precondition-required"


class TooManyRequests(AtriumError):
    status, title, slug = 429, "Too Many Requests", "too-many-requests"

    def __init__(self, detail: str, *, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.retry_after_seconds = max(1, retry_after_seconds)

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


class BadGateway(AtriumError):
    """An outside service (Stripe) answered, but not with what was asked for."""

    status, title, slug = 502, "Bad Gateway", "bad-gateway"


class Unavailable(AtriumError):
    status, title, slug = 503, "Service Unavailable", "unavailable"
