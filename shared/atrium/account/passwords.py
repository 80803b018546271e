"""Setting a new password: every session of the user, in every tenant, ends.

``sessions_valid_after`` is read by the authorizer (live access, cached ``access_cache_seconds``) and by
refresh, so access tokens of older sessions stop within the cache TTL and their refresh tokens at once.
"""

from atrium.identity.models import UserItem
from atrium.identity.passwords import hash_password
from atrium.kernel import clock


def set_password(user: UserItem, password: str) -> None:
    user.password_hash = hash_password(password)
    user.sessions_valid_after = clock.now()
