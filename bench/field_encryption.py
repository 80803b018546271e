"""What field encryption costs an item (kernel/store/field_encryption.py): the fieldwork app's customer, four
protected attributes, serialized as a write does (sealed) and read back (opened), beside the same item with none
protected, in this process; and the KMS calls an item costs a cold process, the first of a tenant, and a warm one
(data_keys' cache)."""

from collections.abc import Callable
from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute

from atrium.apps.fieldwork.customers.models import CustomerItem
from atrium.kernel import ids
from atrium.kernel.store import data_keys
from atrium.kernel.store.models import TenantEntity
from atrium.kernel.tenancy import tenant_scope
from bench.report import Table
from bench.scale import Scale
from bench.stats import median, ratio, seconds_per_call

VALUES: dict[str, Any] = {
    "name": "Harbour Bakery", "notes": "Gate code 4411; the assembly is behind the walk-in cooler.",
    "billing_contact": {"name": "Dana Reyes", "email": "dana@harbour.example", "phone": "+1 541 555 0142"},
    "service_address": {"line1": "12 Harbour Road", "city": "Springfield", "region": "OR", "postal_code": "97477"}}


class PlainCustomer(TenantEntity, discriminator="BenchPlainCustomer"):
    """``CustomerItem``'s attributes, none protected."""

    name = UnicodeAttribute()
    billing_contact = JSONAttribute()
    service_address = JSONAttribute()
    notes = UnicodeAttribute(default="")
    site_count = NumberAttribute(default=0)
    work_order_count = NumberAttribute(default=0)


def _kms_calls(run: Callable[[], object]) -> list[str]:
    calls: list[str] = []

    def count(event_name: str, **_: Any) -> None:
        calls.append(event_name.rsplit(".", 1)[1])

    events = data_keys._kms().meta.events
    events.register("before-call.kms", count)
    try:
        run()
    finally:
        events.unregister("before-call.kms", count)
    return calls


def table(scale: Scale) -> Table:
    times, rounds = (50, 1) if scale.smoke else (2000, 7)
    tenant_id = ids.new_id("ten")
    with tenant_scope(tenant_id):
        sealed = CustomerItem(tenant_id=tenant_id, id=ids.new_id("cus"), **VALUES)
        plain = PlainCustomer(tenant_id=tenant_id, id=ids.new_id("cus"), **VALUES)
        first = _kms_calls(sealed.serialize)  # the tenant's first key
        data_keys.forget_held_keys()
        cold = _kms_calls(sealed.serialize)
        warm = _kms_calls(lambda: [sealed.serialize() for _ in range(100)])
        stored_sealed, stored_plain = sealed.serialize(), plain.serialize()
        subjects: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
            ("write (serialize)", sealed.serialize, plain.serialize),
                    ("read (from the stored item)", lambda: CustomerItem.from_raw_data(stored_sealed),
                     lambda: PlainCustomer.from_raw_data(stored_plain))]
        rows = []
        for label, with_encryption, without in subjects:
            encrypted = median([seconds_per_call(with_encryption, times) * 1e6 for _ in range(rounds)])
            clear = median([seconds_per_call(without, times) * 1e6 for _ in range(rounds)])
            rows.append((label, f"{clear:.1f}", f"{encrypted:.1f}", ratio(encrypted, clear)))
    return Table(
        "Field encryption: an item's cost (fieldwork customer, 4 protected attributes)",
        ("operation", "µs, none protected", "µs, encrypted", "encrypted / none"), rows,
        notes=(f"Median of {rounds} rounds of {times} in this process, the tenant's key held (warm). AES-256-GCM "
               "(cryptography) per attribute, bound to the item's key and the attribute's name.",
               f"KMS calls: the tenant's first write {len(first)} ({', '.join(first)}); a cold process's first "
               f"item {len(cold)} ({', '.join(cold) or 'none'}: the stored key unwrapped once); the next 100 "
               f"items of a warm process {len(warm)}. A cold process also reads the tenant's keys item once "
               "(a GetItem)."))
