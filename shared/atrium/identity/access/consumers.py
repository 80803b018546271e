"""Access consumers."""

from atrium.identity.access.api_tokens import revoke_tokens_created_by
from atrium.identity.members.events import MEMBER_REMOVED, MemberRemoved
from atrium.kernel.consumers import ConsumerSpec, Events
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.observability import logger


def revoke_tokens_of_removed_member(event: Envelope) -> None:
    """A member who leaves takes their API tokens with them (the authorizer already refuses them: their creator is
    no longer a member; this removes them). Idempotent: a retry finds fewer tokens to revoke."""
    user_id = MemberRemoved.model_validate(event.data).user_id
    revoked = revoke_tokens_created_by(event.tenant_id, user_id)
    logger.info("removed member's API tokens revoked", extra={"user_id": user_id, "revoked": revoked})


CONSUMERS = [
    ConsumerSpec(
        name="access.revoke_tokens_of_removed_member",
        source=Events(types=(MEMBER_REMOVED.name,)),
        handler=revoke_tokens_of_removed_member,
        description="Revoke every API token a removed member created in the tenant.",
    ),
]
