"""Operator sign-in: email and password -> a short-lived operator access token (no refresh)."""

from atrium.identity import lockout
from atrium.identity.operator.models import ACTIVE, OperatorItem, email_index
from atrium.identity.operator.schemas import OperatorLoginRequest, OperatorOut, OperatorToken
from atrium.identity.passwords import verify_password
from atrium.identity.tokens import OPERATOR_TOKEN_TTL_SECONDS, issue_operator_token
from atrium.kernel.errors import Unauthenticated
from atrium.kernel.observability import logger
from atrium.kernel.store import keys
from atrium.kernel.store.unit_of_work import RequestInfo


def login(request: OperatorLoginRequest, info: RequestInfo) -> OperatorToken:
    index = email_index(request.email)
    # Operators lock out like tenant users (same thresholds and backoff), counted apart from them (the index of
    # another field), by the index: no address in a key.
    attempt, found = lockout.begin_sign_in(index, info.ip, (keys.global_pk(OperatorItem.type_name(), index),
                                                            keys.ENTITY_SK))
    operator = found[0] if found and isinstance(found[0], OperatorItem) else None
    # An unknown email still costs a hash check (a decoy), so timing does not tell which part was wrong.
    valid = attempt.check(lambda: verify_password(operator.password_hash if operator else None, request.password)
                          and operator is not None and operator.status == ACTIVE)
    if not valid or operator is None:
        raise Unauthenticated("the email or password is wrong")
    attempt.clear()
    logger.info("operator signed in", extra={"operator_id": operator.id})
    roles = sorted(operator.roles)
    return OperatorToken(
        access_token=issue_operator_token(operator_id=operator.id, email=operator.email, roles=roles),
        expires_in=OPERATOR_TOKEN_TTL_SECONDS, operator=OperatorOut(id=operator.id, email=operator.email, roles=roles))
