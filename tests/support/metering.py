"""Metered usage in tests: events counted straight into a tenant's counters (the consumer's own function).
Tenants are bare ids: metering needs no more."""

from datetime import datetime

from atrium.billing.metering import counters
from atrium.billing.metering.meters import Meter
from atrium.kernel import ids
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.tenancy import tenant_scope


def count(tenant_id: str, at: datetime, proofs: int = 1) -> None:
    """``proofs`` proofs created by the tenant at ``at``, counted (one event each)."""
    with tenant_scope(tenant_id):
        for _ in range(proofs):
            event = Envelope(id=ids.new_id("evt"), type="proof.created", tenant_id=tenant_id, occurred_at=at,
                             actor=Ref(type="user", id=ids.new_id("usr")),
                             subject=Ref(type="proof", id=ids.new_id("prf")), data={})
            assert counters.count(event, {Meter.PROOFS: 1})
