"""What billing meters of the proofs app (``atrium.manifest.metered_events``): each proof created, and the bytes
of each version stored, until its proof is deleted."""

from atrium.apps.proofs.events import PROOF_CREATED, PROOF_DELETED, PROOF_VERSION_ADDED
from atrium.billing.api import Meter, MeteredEvent
from atrium.kernel.events.envelope import Envelope


def _stored_bytes(event: Envelope) -> int:
    return int(event.data["size"])


def _freed_bytes(event: Envelope) -> int:
    # A deletion recorded before the event carried the proof's bytes frees none.
    return -int(event.data.get("stored_bytes", 0))


METERED_EVENTS = [
    MeteredEvent(PROOF_CREATED.name, Meter.PROOFS),
    MeteredEvent(PROOF_VERSION_ADDED.name, Meter.STORAGE_BYTES, _stored_bytes),
    MeteredEvent(PROOF_DELETED.name, Meter.STORAGE_BYTES, _freed_bytes),
]
