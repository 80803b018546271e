"""Operator sign-in: email and password -> a short-lived operator access token (no refresh)."""

from atrium.identity.passwords import verify_password
from atrium.identity.tokens import OPERATOR_TOKEN_TTL_SECONDS, issue_operator_token
from atrium.kernel.errors import Unauthenticated
from atrium.kernel.observability import logger
from atrium.operator.models import ACTIVE, OperatorItem
from atrium.operator.schemas import OperatorLoginRequest, OperatorOut, OperatorToken


def login(request: OperatorLoginRequest) -> OperatorToken:
    operator = OperatorItem.find(request.email.lower())
    # An unknown email still costs a hash check (a decoy), so timing does not tell which part was wrong.
    valid = verify_password(operator.password_hash if operator else None, request.password)
    if not valid or operator is None or operator.status != ACTIVE:
        raise Unauthenticated("the email or password is wrong")
    logger.info("operator signed in", extra={"operator_id": operator.id})
    roles = sorted(operator.roles)
    return OperatorToken(
        access_token=issue_operator_token(operator_id=operator.id, email=operator.email, roles=roles),
        expires_in=OPERATOR_TOKEN_TTL_SECONDS, operator=OperatorOut(id=operator.id, email=operator.email, roles=roles))
