"""A signed-in user proving a secret (the current password, an MFA code) before a sensitive change.

Wrong secrets lock the user out like failed sign-ins do (``identity.lockout``, counted per user):
whoever holds a stolen access token gets five guesses, then a backoff, not unlimited tries.
"""

from dataclasses import dataclass

from atrium.identity import lockout
from atrium.identity.account.users import first_of, user_and_tenant_keys
from atrium.identity.models import LoginThrottleItem, TenantItem, UserItem
from atrium.kernel.errors import AtriumError, Unauthenticated
from atrium.kernel.tenancy import Principal


@dataclass
class SecretCheck:
    user: UserItem
    tenant: TenantItem | None
    throttles: list[LoginThrottleItem]

    def require(self, correct: bool, wrong: AtriumError) -> None:
        """Raise ``wrong`` (and count it) unless the secret was ``correct``; a correct one clears the count."""
        subject = lockout.user_subject(self.user.natural_key)
        if not correct:
            lockout.record_failure(subject, None)
            raise wrong
        lockout.record_success(subject, self.throttles)


def begin(principal: Principal) -> SecretCheck:
    """One BatchGetItem: the caller's lockout state, user and tenant. 429 while locked out."""
    throttles, found = lockout.read_and_check(lockout.user_subject(principal.id), None,
                                              *user_and_tenant_keys(principal.id, principal.tenant_id))
    user = first_of(found, UserItem)
    if user is None:
        raise Unauthenticated("the user no longer exists")
    return SecretCheck(user, first_of(found, TenantItem), throttles)
