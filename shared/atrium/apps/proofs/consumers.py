"""Proofs consumers: members mentioned in a comment are emailed; a deleted proof's remains are removed."""

from atrium.apps.proofs.comments import mentions
from atrium.apps.proofs.events import PROOF_COMMENT_EDITED, PROOF_COMMENTED, PROOF_DELETED
from atrium.apps.proofs.proofs import purge
from atrium.kernel.consumers import ConsumerSpec, Events
from atrium.kernel.grants import Grant

CONSUMERS = [
    ConsumerSpec(
        name="proofs.email_mentions",
        source=Events(types=(PROOF_COMMENTED.name, PROOF_COMMENT_EDITED.name)),
        handler=mentions.email_mentioned,
        description="Email the members a comment (or an edit of it) mentions for the first time, unless they "
                    "turned mention emails off.",
        # The unsubscribe link is sealed with a key derived from the cursor key.
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.MAIL_SEND, Grant.CURSOR_KEY_READ}),
    ),
    ConsumerSpec(
        name="proofs.purge_deleted",
        source=Events(types=(PROOF_DELETED.name,)),
        handler=purge.purge_deleted_proof,
        description="Remove a deleted proof's versions, decisions, uploads, certificates, comments and files.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.FILES_DELETE}),
    ),
]
