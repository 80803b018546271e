"""What billing meters of the proofs app (``atrium.manifest.metered_events``): each proof created, and the bytes
of each version stored."""

from atrium.apps.proofs.events import PROOF_CREATED, PROOF_VERSION_ADDED
from atrium.billing.api import Meter, MeteredEvent
from atrium.kernel.events.envelope import Envelope


def _stored_bytes(event: Envelope) -> int:
    return int(event.data["size"])


METERED_EVENTS = [
    MeteredEvent(PROOF_CREATED.name, Meter.PROOFS),
    MeteredEvent(PROOF_VERSION_ADDED.name, Meter.STORAGE_BYTES, _stored_bytes),
]
