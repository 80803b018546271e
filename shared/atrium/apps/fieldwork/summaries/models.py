"""A month's items, in one partition per tenant and month (``T#<tenant>#FieldworkMonth#2026-12``), so the month is
read with one Query: a tally per assembly type (``Tally#RP``), counted in each signing's transaction, the month's
invoicing (``Tally#money``), counted in the transactions that send, void and pay invoices, and, once the month is
over, the summary sent to the tenant's owners (``Summary``)."""

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.expressions.update import Action

from atrium.kernel.store import keys
from atrium.kernel.store.models import Item

MONTH = "FieldworkMonth"
SUMMARY_SK = "Summary"


def month_pk(tenant_id: str, month: str) -> str:
    return keys.entity_pk(tenant_id, MONTH, month)


class TallyItem(Item, discriminator="FieldworkTally"):
    """The month's signed test reports of one assembly type, written only by atomic ADDs: never read first."""

    tenant_id = UnicodeAttribute()
    month = UnicodeAttribute()  # YYYY-MM, of the signing
    assembly_type = UnicodeAttribute()
    tests = NumberAttribute(default=0)
    passed = NumberAttribute(default=0)  # the report's result (after any retest)
    passed_first_time = NumberAttribute(default=0)  # its initial result: passed without repairs

    def assign_keys(self) -> None:
        self.pk = month_pk(self.tenant_id, self.month)
        self.sk = f"Tally#{self.assembly_type}"

    def counting(self, *, passed: bool, passed_first_time: bool) -> list[Action]:
        """The ADDs of one test, and the attributes an update must set for the item to read back as a tally."""
        return [TallyItem.tests.add(1), TallyItem.passed.add(int(passed)),
                TallyItem.passed_first_time.add(int(passed_first_time)), TallyItem.entity.set(TallyItem),
                TallyItem.tenant_id.set(self.tenant_id), TallyItem.month.set(self.month),
                TallyItem.assembly_type.set(self.assembly_type)]


class MoneyTallyItem(Item, discriminator="FieldworkMoneyTally"):
    """The month's invoicing, in cents, written only by atomic ADDs: invoices sent (less those voided after being
    sent) and payments recorded."""

    tenant_id = UnicodeAttribute()
    month = UnicodeAttribute()  # YYYY-MM, of the sending, voiding or recording
    invoiced_cents = NumberAttribute(default=0)
    collected_cents = NumberAttribute(default=0)

    def assign_keys(self) -> None:
        self.pk = month_pk(self.tenant_id, self.month)
        self.sk = "Tally#money"

    def counting(self, *, invoiced: int = 0, collected: int = 0) -> list[Action]:
        return [MoneyTallyItem.invoiced_cents.add(invoiced), MoneyTallyItem.collected_cents.add(collected),
                MoneyTallyItem.entity.set(MoneyTallyItem), MoneyTallyItem.tenant_id.set(self.tenant_id),
                MoneyTallyItem.month.set(self.month)]


class SentSummaryItem(Item, discriminator="FieldworkSummary"):
    """The month's summary as it was sent: made once (the schedule's conditional put starts its job), then its PDF
    and the email recorded by the job."""

    tenant_id = UnicodeAttribute()
    month = UnicodeAttribute()
    overdue_assemblies = NumberAttribute()  # counted when the month ended: later tests move due dates
    job_id = UnicodeAttribute()
    pdf = JSONAttribute(null=True)  # {key, sha256, size}
    sent_to = JSONAttribute(default=list)  # the owners' addresses emailed
    sent_at = UnicodeAttribute(null=True)

    def assign_keys(self) -> None:
        self.pk = month_pk(self.tenant_id, self.month)
        self.sk = SUMMARY_SK
