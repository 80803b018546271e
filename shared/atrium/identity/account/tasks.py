"""Account's task queue: the lookup behind a password reset request, off the public route."""

from atrium.identity.account import reset_requests
from atrium.kernel.grants import Grant
from atrium.kernel.tasks import TaskSpec

LOOK_UP_PASSWORD_RESET = TaskSpec(
    name=reset_requests.LOOKUP_TASK,
    description="Find the account a password reset request names; record the request if there is one.",
    handler=reset_requests.look_up,
    grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE}),
    tenant_bound=False,  # the body names an email address; the tenant is the account's first
)

TASKS = [LOOK_UP_PASSWORD_RESET]
