"""``Idempotency-Key`` on creating POSTs.

Same key and same request: the stored response is replayed (``Idempotent-Replayed: true``).
Same key, other request: 422. Same key while the first request still runs: 409.

A replay is what the first request answered, so it is given only to whom the first request could be: the
caller is authenticated and holds the route's permission before any key is looked at (a refusal is a 403 and
an audit entry, as for any request), and a key is scoped to the principal that first used it (public routes
share one anonymous scope, where a replay needs the identical body). A replay is audited in the caller's
tenant (``idempotency.replayed``). Keys are kept ``ATRIUM_IDEMPOTENCY_TTL_SECONDS`` (24 h). Only successful
responses are kept; after an error the key can be used again.

A kept response may hold a secret shown once (a new API token). The table holds an HMAC of the key under the
platform's sealing secret (Secrets Manager), never the key, and the response sealed with a key derived from
both that secret and the Idempotency-Key: neither whoever reads the table nor whoever holds only the secret can
open it.

A claim carries a random token, so a claim write that botocore retries after losing its
answer recognises itself. An unfinished claim (the function died) frees the key after
``ATRIUM_IDEMPOTENCY_IN_PROGRESS_SECONDS``, longer than any request may run.
"""
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable, Coroutine
from functools import partial
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError
from fastapi import Request, Response
from fastapi.routing import APIRoute
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, PynamoDBException
from starlette.concurrency import run_in_threadpool

from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import BadRequest, Conflict, Unprocessable
from atrium.kernel.events.envelope import Ref
from atrium.kernel.http.dependencies import authorize, request_info, resolve_principal
from atrium.kernel.http.json_route import JsonRoute
from atrium.kernel.http.problems import problem_response
from atrium.kernel.http.rate_limits import limit
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.observability import logger
from atrium.kernel.secrets import read_secret
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, expires_in
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.store.writes import unless_raced
from atrium.kernel.tenancy import Principal, actor_of, tenant_scope

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

    def response(self, seal: "Fernet") -> Response:
        headers_json, _, body = seal.decrypt((self.response_sealed or "").encode()).partition(b"\n")
        headers = json.loads(headers_json) | {REPLAYED_HEADER: "true"}
        return Response(body, status_code=int(self.status_code or 200), headers=headers)


class _Key:
    """An Idempotency-Key as the table sees it (an HMAC, scoped to the operation and the principal) and the seal
    of its response, both under the platform's sealing secret."""

    def __init__(self, key: str, *, operation_id: str, principal: Principal | None) -> None:
        # Imported when a key is used: most requests carry none, and cryptography is slow to import.
        from atrium.kernel.sealing import sealer

        secret = read_secret(settings().cursor_secret_id)
        scope = f"{operation_id}\n{principal.id if principal else ''}\n{key}"
        self.hash = hmac.new(secret.encode(), scope.encode(), hashlib.sha256).hexdigest()
        self.seal = sealer(f"{secret}\0{key}", purpose="idempotent response")


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


def _complete(record: IdempotencyRecord, seal: "Fernet", response: Response) -> None:
    record.status_code = response.status_code
    headers = json.dumps({k: v for k, v in response.headers.items() if k in _KEPT_HEADERS})
    record.response_sealed = seal.encrypt(headers.encode() + b"\n" + bytes(response.body)).decode()
    record.expires_at = expires_in(settings().idempotency_ttl_seconds)
    record.save(add_version_condition=False)


def idempotent_route(spec: RouteSpec) -> type[APIRoute]:
    """The route class of ``spec``: it honours ``Idempotency-Key`` around the endpoint."""

    class IdempotentRoute(JsonRoute):
        def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
            super().__init__(path, endpoint, **kwargs)
            extra = self.openapi_extra or {}
            self.openapi_extra = extra | {"parameters": [*extra.get("parameters", []), _PARAMETER]}
            self.responses.setdefault(409, problem_response("A request with this Idempotency-Key is still in progress"))

        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handle = super().get_route_handler()

            async def handle_idempotently(request: Request) -> Response:
                key = request.headers.get(HEADER)
                if key is None:
                    return await handle(request)
                if not re.fullmatch(_KEY_PATTERN, key):
                    raise BadRequest("Idempotency-Key must be 1-255 visible ASCII characters",
                                     errors=[{"field": "header.idempotency-key", "message": "invalid"}])
                principal = None if spec.is_public else await resolve_principal(request)
                await limit(request, principal)  # a replay is a request like any other
                if principal is not None:
                    await authorize(spec, principal, request)
                scoped = await run_in_threadpool(partial(_Key, key, operation_id=spec.operation_id,
                                                         principal=principal))
                body = await request.body()
                record = IdempotencyRecord(
                    tenant_id=principal.tenant_id if principal else None,
                    key_hash=scoped.hash,
                    fingerprint=hashlib.sha256(b"%s\n%s\n%s" % (request.method.encode(), request.url.path.encode(),
                                                                body)).hexdigest(),
                    claim_token=secrets.token_hex(16),
                    expires_at=expires_in(settings().idempotency_in_progress_seconds),
                )
                return await _with_record(record, scoped, spec, principal, request, handle)

            return handle_idempotently

    return IdempotentRoute


async def _with_record(record: IdempotencyRecord, scoped: _Key, spec: RouteSpec, principal: Principal | None,
                       request: Request, handle: Callable[[Request], Coroutine[Any, Any, Response]]) -> Response:
    def in_scope(action: Callable[[], Any]) -> Any:
        if record.tenant_id is None:
            return action()
        with tenant_scope(record.tenant_id):
            return action()

    holder = await run_in_threadpool(in_scope, lambda: _claim(record))
    if holder is not None:
        if holder.fingerprint != record.fingerprint:
            raise Unprocessable("this Idempotency-Key was used with a different request",
                                errors=[{"field": "header.idempotency-key", "message": "reused with another body"}])
        if not holder.completed:
            raise Conflict("a request with this Idempotency-Key is still in progress")
        response: Response = holder.response(scoped.seal)
        await run_in_threadpool(_audit_replay, spec, principal, request)
        return response
    try:
        response = await handle(request)
    except Exception:
        await run_in_threadpool(in_scope, lambda: _release(record))
        raise
    if 200 <= response.status_code < 300:
        await run_in_threadpool(in_scope, lambda: _complete(record, scoped.seal, response))
    else:
        await run_in_threadpool(in_scope, lambda: _release(record))
    return response


def _audit_replay(spec: RouteSpec, principal: Principal | None, request: Request) -> None:
    logger.info("idempotent response replayed", extra={"operation": spec.operation_id})
    if principal is None or not principal.tenant_id:
        return  # a public route or an operator: no tenant log to write to
    with tenant_scope(principal.tenant_id):
        uow = UnitOfWork(principal.tenant_id, actor_of(principal), request_info(request))
        uow.record("idempotency.replayed", subject=Ref(type="operation", id=spec.operation_id),
                   data={}, emit=False)
        uow.commit()


def _release(record: IdempotencyRecord) -> None:
    """Free the key after a failed request. Best effort: if the delete fails too, the claim
    frees itself after the in-progress window, and the caller still gets the real error."""
    try:
        record.delete(add_version_condition=False)
    except (PynamoDBException, BotoCoreError):
        logger.warning("idempotency claim not released; it expires after the in-progress window")
