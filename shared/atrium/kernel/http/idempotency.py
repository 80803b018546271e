"""``Idempotency-Key`` on creating POSTs.

Same key and same request: the stored response is replayed (``Idempotent-Replayed: true``).
Same key, other request: 422. Same key while the first request still runs: 409.
Keys are scoped to the caller's tenant (public routes share one anonymous scope, where a
replay needs the identical body) and kept for ``ATRIUM_IDEMPOTENCY_TTL_SECONDS`` (24 h).
Only successful responses are kept; after an error the key can be used again. A kept response
may hold a secret shown once (a new API token), so it is sealed with a key derived from the
Idempotency-Key, which the table never holds (only its hash): reading the table does not reveal
it. Clients should use random keys (UUIDs); a guessable key makes a guessable seal.

A claim carries a random token, so a claim write that botocore retries after losing its
answer recognises itself. An unfinished claim (the function died) frees the key after
``ATRIUM_IDEMPOTENCY_IN_PROGRESS_SECONDS``, longer than any request may run.
"""

import hashlib
import json
import re
import secrets
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, ClassVar

from botocore.exceptions import BotoCoreError
from fastapi import Request, Response
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, PynamoDBException
from starlette.concurrency import run_in_threadpool

from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import BadRequest, Conflict, Unprocessable
from atrium.kernel.http.dependencies import resolve_principal
from atrium.kernel.http.json_route import JsonRoute
from atrium.kernel.http.problems import problem_response
from atrium.kernel.observability import logger
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, expires_in
from atrium.kernel.store.writes import unless_raced
from atrium.kernel.tenancy import tenant_scope

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

HEADER = "idempotency-key"
REPLAYED_HEADER = "Idempotent-Replayed"
_KEPT_HEADERS = ("content-type", "location", "etag")
_ENTITY = "Idempotency"
# Visible ASCII: what every HTTP stack carries unchanged (servers strip spaces at the ends of a header value).
_KEY_PATTERN = "^[!-~]{1,255}$"
_PARAMETER = {"name": "Idempotency-Key", "in": "header", "required": False,
              "description": "Makes retries safe: the same key and body replay the first response",
              "schema": {"type": "string", "pattern": _KEY_PATTERN}}


class IdempotencyRecord(Item, discriminator=_ENTITY):
    tenant_id = UnicodeAttribute(null=True)
    key_hash = UnicodeAttribute()
    fingerprint = UnicodeAttribute()
    claim_token = UnicodeAttribute()
    status_code = NumberAttribute(null=True)
    # The kept response (headers and body), sealed: see ``_seal``.
    response_sealed = UnicodeAttribute(null=True)

    def assign_keys(self) -> None:
        if self.tenant_id:
            self.pk = keys.entity_pk(self.tenant_id, _ENTITY, self.key_hash)
        else:
            self.pk = keys.global_pk(_ENTITY, self.key_hash)

    @property
    def completed(self) -> bool:
        return self.status_code is not None

    def response(self, key: str) -> Response:
        headers_json, _, body = _seal(key).decrypt((self.response_sealed or "").encode()).partition(b"\n")
        headers = json.loads(headers_json) | {REPLAYED_HEADER: "true"}
        return Response(body, status_code=int(self.status_code or 200), headers=headers)


def _seal(key: str) -> "Fernet":
    # Imported when a key is used: most requests carry none, and cryptography is slow to import.
    from atrium.kernel.sealing import sealer

    return sealer(key, purpose="idempotent response")


def _claim(record: IdempotencyRecord) -> IdempotencyRecord | None:
    """Write the in-progress record; if the key is held by another request (and not expired), return it."""
    if unless_raced(lambda: record.save(Item.pk.does_not_exist() | (Item.expires_at < clock.now()),
                                        add_version_condition=False)):
        return None
    try:
        holder = IdempotencyRecord.get(record.pk, keys.ENTITY_SK, consistent_read=True)
    except DoesNotExist:
        raise Conflict("the request with this Idempotency-Key is being retried; try again") from None
    return None if holder.claim_token == record.claim_token else holder


def _complete(record: IdempotencyRecord, key: str, response: Response) -> None:
    record.status_code = response.status_code
    headers = json.dumps({k: v for k, v in response.headers.items() if k in _KEPT_HEADERS})
    record.response_sealed = _seal(key).encrypt(headers.encode() + b"\n" + bytes(response.body)).decode()
    record.expires_at = expires_in(settings().idempotency_ttl_seconds)
    record.save(add_version_condition=False)


class IdempotentRoute(JsonRoute):
    """A route that honours ``Idempotency-Key`` around its endpoint, scoped to the caller's tenant."""

    public: ClassVar[bool] = False

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        extra = self.openapi_extra or {}
        self.openapi_extra = extra | {"parameters": [*extra.get("parameters", []), _PARAMETER]}
        self.responses.setdefault(409, problem_response("A request with this Idempotency-Key is still in progress"))

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        operation_id = self.operation_id or self.path
        public = self.public

        async def handle_idempotently(request: Request) -> Response:
            key = request.headers.get(HEADER)
            if key is None:
                return await handle(request)
            if not re.fullmatch(_KEY_PATTERN, key):
                raise BadRequest("Idempotency-Key must be 1-255 visible ASCII characters",
                                 errors=[{"field": "header.idempotency-key", "message": "invalid"}])
            tenant_id = None if public else (await resolve_principal(request)).tenant_id
            body = await request.body()
            record = IdempotencyRecord(
                tenant_id=tenant_id,
                key_hash=hashlib.sha256(f"{operation_id}\n{key}".encode()).hexdigest(),
                fingerprint=hashlib.sha256(b"%s\n%s\n%s" % (request.method.encode(), request.url.path.encode(),
                                                            body)).hexdigest(),
                claim_token=secrets.token_hex(16),
                expires_at=expires_in(settings().idempotency_in_progress_seconds),
            )
            return await _with_record(record, key, tenant_id, request, handle)

        return handle_idempotently


class PublicIdempotentRoute(IdempotentRoute):
    """For public routes: keys share one anonymous scope, so a replay needs the identical body."""

    public = True


async def _with_record(record: IdempotencyRecord, key: str, tenant_id: str | None, request: Request,
                       handle: Callable[[Request], Coroutine[Any, Any, Response]]) -> Response:
    def in_scope(action: Callable[[], Any]) -> Any:
        if tenant_id is None:
            return action()
        with tenant_scope(tenant_id):
            return action()

    holder = await run_in_threadpool(in_scope, lambda: _claim(record))
    if holder is not None:
        if holder.fingerprint != record.fingerprint:
            raise Unprocessable("this Idempotency-Key was used with a different request",
                                errors=[{"field": "header.idempotency-key", "message": "reused with another body"}])
        if not holder.completed:
            raise Conflict("a request with this Idempotency-Key is still in progress")
        response: Response = holder.response(key)
        return response
    try:
        response = await handle(request)
    except Exception:
        await run_in_threadpool(in_scope, lambda: _release(record))
        raise
    if 200 <= response.status_code < 300:
        await run_in_threadpool(in_scope, lambda: _complete(record, key, response))
    else:
        await run_in_threadpool(in_scope, lambda: _release(record))
    return response


def _release(record: IdempotencyRecord) -> None:
    """Free the key after a failed request. Best effort: if the delete fails too, the claim
    frees itself after the in-progress window, and the caller still gets the real error."""
    try:
        record.delete(add_version_condition=False)
    except (PynamoDBException, BotoCoreError):
        logger.warning("idempotency claim not released; it expires after the in-progress window")
