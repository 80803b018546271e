"""The second step of signing in: an MFA challenge (from login) and a code -> tokens.

Guessing is bounded per user and per challenge. Per user, across challenges: each code is counted before it
is checked (``identity.lockout``, ``MFA``), five wrong ones lock MFA sign-in with a backoff, and only a correct
code clears the count (a correct password does not), so signing in again for fresh challenges buys no
guesses. Per challenge: a wrong code is also counted on the challenge with a version-checked write before it
is answered, and the fifth deletes the challenge.
"""

from typing import NoReturn

from atrium.identity import lockout
from atrium.identity.access_state import check_tenant_active
from atrium.identity.account.factors import accept_second_factor
from atrium.identity.account.users import first_of, user_and_tenant_keys, user_ref
from atrium.identity.mfa_challenge import MFA_TOKEN_PREFIX
from atrium.identity.models import MembershipItem, MfaChallengeItem, TenantItem, UserItem
from atrium.identity.schemas import Tokens
from atrium.identity.sessions import open_session
from atrium.identity.tokens import token_hash
from atrium.kernel import clock
from atrium.kernel.errors import Conflict, NotFound, PreconditionFailed, Unauthenticated
from atrium.kernel.observability import logger
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.store.writes import unless_raced
from atrium.kernel.tenancy import tenant_scope

MAX_ATTEMPTS = 5
INVALID = "the MFA challenge is invalid or has expired; sign in again"


def _raced() -> Conflict:
    return Conflict("another attempt on this challenge was in progress; try again")


def _membership_if_held(tenant: TenantItem | None, user_id: str) -> MembershipItem | None:
    """The user's membership, read only when the tenant is held for its deletion (its owners still sign in)."""
    if tenant is None or not tenant.held_for_deletion:
        return None
    try:
        return MembershipItem.load(tenant.id, user_id, consistent=True)
    except NotFound:
        return None


def complete(mfa_token: str, code: str, info: RequestInfo) -> Tokens:
    challenge = MfaChallengeItem.find(token_hash(mfa_token)) if mfa_token.startswith(MFA_TOKEN_PREFIX) else None
    if challenge is None or challenge.expires_at is None or challenge.expires_at <= clock.now():
        raise Unauthenticated(INVALID)
    with tenant_scope(challenge.tenant_id):
        attempt, found = lockout.begin(lockout.MFA, challenge.user_id,
                                       *user_and_tenant_keys(challenge.user_id, challenge.tenant_id))
        user = first_of(found, UserItem)
        tenant = first_of(found, TenantItem)
        check_tenant_active(tenant, _membership_if_held(tenant, challenge.user_id))
        if user is None or not user.mfa_enabled:
            raise Unauthenticated(INVALID)  # MFA was turned off (or the user removed) since the password step
        if not attempt.check(lambda: accept_second_factor(user, code)):
            _count_failure(challenge)
        uow = UnitOfWork(challenge.tenant_id, user_ref(user.id), info)
        attempt.clear(uow)
        uow.delete(challenge)
        uow.save(user)  # the TOTP step or recovery code is spent with the challenge
        tokens = open_session(uow, user_id=user.id)
        uow.record("session.started", subject=user_ref(user.id), data={"method": "mfa"}, emit=False)
        try:
            uow.commit()
        except PreconditionFailed:
            raise _raced() from None
    return tokens


def _count_failure(challenge: MfaChallengeItem) -> NoReturn:
    challenge.attempts = int(challenge.attempts) + 1
    last = challenge.attempts >= MAX_ATTEMPTS
    if not unless_raced(challenge.delete if last else challenge.save):  # the delete is version-checked too
        raise _raced()
    logger.info("wrong MFA code", extra={"attempts": challenge.attempts, "user_id": challenge.user_id})
    raise Unauthenticated(INVALID if last else "the code is incorrect")
