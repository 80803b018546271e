"""What the fieldwork app holds about a person (``PROVIDERS``): the customers whose billing contact is their email,
and what belongs to those customers: sites, work orders (with their schedule entries), invoices (with their PDFs)
and test reports.

Contacts are encrypted, so no index finds a customer by email: the tenant's customers are read a page at a time.
A customer's records are then one Query each of its collections (a customer's test reports: one per assembly). Erasure
replaces every personal attribute of those records by the erased placeholders (the records stay: work orders and
invoices are the business's own records) and deletes the invoices' PDFs.
"""

from collections.abc import Iterator
from dataclasses import replace

from atrium.apps.fieldwork.assemblies.models import CUSTOMER_ASSEMBLIES
from atrium.apps.fieldwork.customers.models import CUSTOMER_SITES, CustomerItem
from atrium.apps.fieldwork.invoices.models import CUSTOMER_INVOICES, InvoiceItem
from atrium.apps.fieldwork.reports.models import ASSEMBLY_REPORTS
from atrium.apps.fieldwork.workorders.models import CUSTOMER_WORK_ORDERS
from atrium.kernel.personal_data import (
    Alias,
    PersonalDataProvider,
    PersonalRecord,
    Subject,
    erase_files,
    erase_personal,
    personal_values,
    write_erasure,
)
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, TenantEntity

NAME = "fieldwork"
# A customer's collections on gsi2 that hold its records.
_OWNED = (CUSTOMER_SITES, CUSTOMER_WORK_ORDERS, CUSTOMER_INVOICES)


def _customers(tenant_id: str, subject: Subject) -> Iterator[CustomerItem]:
    if subject.email is None:
        return
    for item in Item.gsi1.query(keys.collection_pk(tenant_id, CustomerItem.type_name())):
        if isinstance(item, CustomerItem) and subject.has_email((item.billing_contact or {}).get("email")):
            yield item


def _owned(tenant_id: str, customer_id: str) -> Iterator[TenantEntity]:
    for collection in _OWNED:
        for item in Item.gsi2.query(keys.bucketed_collection_pk(tenant_id, collection, customer_id)):
            if isinstance(item, TenantEntity):
                yield item
    for assembly in Item.gsi2.query(keys.bucketed_collection_pk(tenant_id, CUSTOMER_ASSEMBLIES, customer_id)):
        if isinstance(assembly, TenantEntity):
            for report in Item.gsi2.query(keys.bucketed_collection_pk(tenant_id, ASSEMBLY_REPORTS, assembly.id)):
                if isinstance(report, TenantEntity):
                    yield report


def _records(tenant_id: str, subject: Subject) -> Iterator[TenantEntity]:
    """The subject's customers, each followed by what it owns."""
    for customer in _customers(tenant_id, subject):
        yield customer
        yield from _owned(tenant_id, customer.id)


def identify(tenant_id: str, subject: Subject) -> Subject:
    """Each customer is known in the audit log by its id, as is each of its sites."""
    aliases = {Alias(item.type_name().lower(), item.id) for item in _records(tenant_id, subject)
               if item.type_name() in ("Customer", "Site")}
    return replace(subject, aliases=subject.aliases | aliases) if aliases else subject


def _files(item: Item) -> tuple[str, ...]:
    return (item.pdf["key"],) if isinstance(item, InvoiceItem) and item.pdf else ()


def find(tenant_id: str, subject: Subject) -> list[PersonalRecord]:
    return [PersonalRecord(item.type_name().lower(), item.id, personal_values(item), _files(item))
            for item in _records(tenant_id, subject)]


def erase(tenant_id: str, subject: Subject, records: list[PersonalRecord]) -> int:
    """Every item in the records' partitions that holds personal attributes (a work order's schedule entry copies
    its notes), erased; the invoices' PDFs deleted."""
    erased: list[Item] = []
    for item in _records(tenant_id, subject):
        for stored in Item.query(item.pk):
            if personal_values(stored):
                erase_personal(stored)
                erased.append(stored)
    erase_files([key for record in records for key in record.files])
    return write_erasure(tenant_id, NAME, saves=erased)


PROVIDERS = [
    PersonalDataProvider(
        name=NAME, description="Customers whose billing contact is the person's email, with their sites, work "
                               "orders, invoices (and PDFs) and test reports.",
        identify=identify, find=find, erase=erase, ref_types=frozenset({"customer", "site"}),
    ),
]
