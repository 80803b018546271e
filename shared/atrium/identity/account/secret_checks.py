"""A signed-in user proving a secret (the current password, an MFA code) before a sensitive change.

Wrong secrets lock the user out like failed sign-ins do (``identity.lockout``, counted per user):
whoever holds a stolen access token gets five guesses, then a backoff, not unlimited tries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from atrium.identity import lockout
from atrium.identity.account.users import first_of, user_and_tenant_keys
from atrium.identity.models import TenantItem, UserItem
from atrium.kernel.errors import AtriumError, Unauthenticated
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import Principal


@dataclass
class SecretCheck:
    user: UserItem
    tenant: TenantItem | None
    attempt: lockout.Attempt

    def require(self, proves: Callable[[], bool], wrong: AtriumError) -> None:
        """Count the attempt, then raise ``wrong`` unless ``proves`` says the secret is right (which clears the
        count). 429 while locked out."""
        if not self.attempt.check(proves):
            raise wrong

    def clear(self, uow: UnitOfWork) -> None:
        """After ``require`` passed: the right secret's count goes with the change ``uow`` commits."""
        self.attempt.clear(uow)


def begin(principal: Principal) -> SecretCheck:
    """One BatchGetItem: the caller's lockout state, user and tenant."""
    attempt, found = lockout.begin(lockout.SIGNED_IN, principal.id,
                                   *user_and_tenant_keys(principal.id, principal.tenant_id))
    user = first_of(found, UserItem)
    if user is None:
        raise Unauthenticated("the user no longer exists")
    return SecretCheck(user, first_of(found, TenantItem), attempt)
