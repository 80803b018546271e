"""Route declarations. Each route is declared once, in its context's ``routes.py``:

    router = ContextRouter("identity")

    @router.post("/v1/signup", name="signup", permission=PUBLIC, status_code=201, idempotent=True,
                 grants={Grant.TABLE_WRITE})
    def signup(...): ...

The operation id is ``<context>.<name>``. The infra makes one Lambda per operation id;
the route Lambda builds an app holding only its own route.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from atrium.kernel.grants import Grant

PUBLIC = "public"
# Any signed-in user acting on their own account (sessions, MFA, password); API tokens may not.
SELF = "self"

# The response headers many routes document: the version to send back in If-Match, and a created resource.
ETAG_HEADER = {"ETag": {"description": "The version to send in If-Match", "schema": {"type": "string"}}}
LOCATION_HEADER = {"Location": {"description": "The new resource", "schema": {"type": "string"}}}


class Realm(StrEnum):
    """Who may call a route: tenant principals (users, API tokens), platform operators, or plugin developers (by
    their API keys)."""

    TENANT = "tenant"
    OPERATOR = "operator"
    DEVELOPER = "developer"

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


class PlanFeature(Protocol):
    """A feature of the tenant's plan that a route needs (``feature=``), as it needs a permission. The billing
    context declares them (``atrium.billing.api.FeatureGate``); the kernel only asks. ``str()`` names it."""

    def check(self, tenant_id: str) -> None:
        """Refuse the request (a 402 problem) when the tenant's plan lacks the feature."""


@dataclass(frozen=True)
class RouteSpec:
    operation_id: str
    method: str
    path: str
    endpoint: Callable[..., Any]
    permission: str
    status_code: int = 200
    idempotent: bool = False
    grants: frozenset[Grant] = frozenset()
    options: dict[str, Any] = field(default_factory=dict)
    realm: Realm = Realm.TENANT
    # The caller must have proved a secret moments ago (``kernel/http/step_up.py``): sensitive operations.
    step_up: bool = False
    # The route confines a scoped caller (``Principal.scope``) to its one record; every other route refuses one, so
    # a route is closed to scoped members until it is written for them.
    scoped: bool = False
    feature: PlanFeature | None = None

    @property
    def context(self) -> str:
        """The operation id's namespace: its context, or a feature folder that names its own operations."""
        return self.operation_id.split(".", 1)[0]

    @property
    def is_public(self) -> bool:
        return self.permission == PUBLIC

    @property
    def is_self_service(self) -> bool:
        return self.permission == SELF

    @property
    def in_catalog(self) -> bool:
        """Whether the permission is one a role can grant (``resource:action``)."""
        return not (self.is_public or self.is_self_service) and self.realm is Realm.TENANT


class ContextRouter:
    def __init__(self, context: str) -> None:
        self.context = context
        self.specs: list[RouteSpec] = []

    def route(self, method: str, path: str, *, name: str, permission: str, status_code: int = 200,
              idempotent: bool = False, grants: Iterable[Grant] = (), realm: Realm = Realm.TENANT,
              step_up: bool = False, scoped: bool = False, feature: PlanFeature | None = None,
              **options: Any) -> Callable[[Endpoint], Endpoint]:
        def register(endpoint: Endpoint) -> Endpoint:
            operation_id = f"{self.context}.{name}"
            if any(spec.operation_id == operation_id for spec in self.specs):
                raise ValueError(f"duplicate operation id {operation_id}")
            if permission not in (PUBLIC, SELF) and ":" not in permission:
                raise ValueError(f"{operation_id}: a permission is resource:action, {PUBLIC!r} or {SELF!r}")
            if step_up and (permission == PUBLIC or realm is not Realm.TENANT):
                raise ValueError(f"{operation_id}: only a tenant's signed-in users can step up")
            if feature is not None and (permission == PUBLIC or realm is not Realm.TENANT):
                raise ValueError(f"{operation_id}: only a tenant's routes need a feature of its plan")
            # Every request is counted against its caller's rate limits (``kernel/http/rate_limits.py``); an
            # Idempotency-Key is kept as an HMAC under the sealing secret (``kernel/http/idempotency.py``).
            needs = {Grant.RATE_LIMIT_COUNT} | ({Grant.CURSOR_KEY_READ} if idempotent else set())
            self.specs.append(RouteSpec(operation_id, method, path, endpoint, permission, status_code,
                                        idempotent, frozenset(grants) | needs, options, realm, step_up,
                                        scoped, feature))
            return endpoint

        return register

    def get(self, path: str, **kwargs: Any) -> Callable[[Endpoint], Endpoint]:
        return self.route("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Callable[[Endpoint], Endpoint]:
        return self.route("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Callable[[Endpoint], Endpoint]:
        return self.route("PATCH", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Callable[[Endpoint], Endpoint]:
        return self.route("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Callable[[Endpoint], Endpoint]:
        return self.route("DELETE", path, **kwargs)

    def spec(self, operation_id: str) -> RouteSpec:
        for spec in self.specs:
            if spec.operation_id == operation_id:
                return spec
        raise LookupError(f"no route {operation_id} in context {self.context}")
