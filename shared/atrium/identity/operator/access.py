"""What a signed-in operator may do right now, read live like a tenant user's access.

The token names the operator (id and email); the status and roles come from the operator item, read with one
GetItem and cached in-process for ``access_cache_seconds``, so a disabled operator or a changed role applies
within that (plus the API Gateway authorizer cache).
"""

from atrium.identity.operator.models import ACTIVE, OperatorItem
from atrium.identity.operator.roles import operator_permissions
from atrium.kernel.config import settings
from atrium.kernel.errors import Unauthenticated
from atrium.kernel.tenancy import Principal, PrincipalType
from atrium.kernel.ttl_cache import TtlCache

_principals: TtlCache[tuple[str, str], Principal] = TtlCache(settings().access_cache_seconds)


def operator_principal(operator_id: str, email: str) -> Principal:
    key = (operator_id, email)
    principal = _principals.get(key)
    if principal is None:
        principal = _load(operator_id, email)
        _principals.put(key, principal)
    return principal


def forget_cached_operators() -> None:
    """Drop every cached answer (tests)."""
    _principals.clear()


def _load(operator_id: str, email: str) -> Principal:
    operator = OperatorItem.find_email(email)
    # The id check refuses a token of an operator whose email was later given to a new operator item.
    if operator is None or operator.id != operator_id or operator.status != ACTIVE:
        raise Unauthenticated("the operator account is disabled or gone; sign in again")
    roles = tuple(sorted(operator.roles))
    # Operators belong to no tenant: an empty tenant id, which no tenant-owned key accepts.
    return Principal(type=PrincipalType.OPERATOR, id=operator.id, tenant_id="", roles=roles,
                     permissions=operator_permissions(roles), name=operator.email)
