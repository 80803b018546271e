"""Proofs consumers: members mentioned in a comment are emailed."""

from atrium.apps.proofs import mentions
from atrium.apps.proofs.events import PROOF_COMMENT_EDITED, PROOF_COMMENTED
from atrium.kernel.events.routing import ConsumerSpec
from atrium.kernel.grants import Grant

CONSUMERS = [
    ConsumerSpec(
        name="proofs.email_mentions",
        event_types=(PROOF_COMMENTED.name, PROOF_COMMENT_EDITED.name),
        handler=mentions.email_mentioned,
        description="Email the members a comment (or an edit of it) mentions for the first time, unless they "
                    "turned mention emails off.",
        # The unsubscribe link is sealed with a key derived from the cursor key.
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.MAIL_SEND, Grant.CURSOR_KEY_READ}),
    ),
]
