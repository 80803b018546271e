"""The fieldwork app's roles (``manifest.role_grants()`` adds them to ``BUILT_IN_ROLES``).

Owners and admins hold everything already. An office admin runs the office: every fieldwork record, districts too, and
the submissions of reports to the districts.
A dispatcher keeps customers, sites and assemblies up to date but deletes nothing and leaves districts, testers'
certifications and gauges to the office. A tester reads what a visit needs and makes, changes, deletes (drafts) and
signs test reports (its own only). The platform's billing role reads customers and sites (whom to bill, where).
Members and viewers read. A customer user reads their own customer account's records: the role is scoped to one
customer (``ROLE_SCOPES``: each grant names a ``cus_`` id), and only the routes declared ``scoped`` let its members in,
each confining them to that customer (``records.check_customer``: another customer's ids are a 404).

Work orders: the office does everything with them (closing an invoiced one too); a dispatcher drafts, changes,
schedules and cancels them but deletes none; a tester starts and completes the orders assigned to it and records
their line items (``work_orders:perform``; whoever also holds ``work_orders:schedule`` may do it for any tester);
billing reads them (what to bill).
"""

from atrium.kernel.permissions import TENANT_READ

READS = frozenset({"customers:read", "sites:read", "districts:read", "assemblies:read", "certifications:read",
                   "gauges:read", "test_reports:read", "submissions:read", "work_orders:read"})
KEEPING = READS | {"customers:create", "customers:update", "sites:create", "sites:update", "assemblies:create",
                   "assemblies:update"}
DISPATCHING = frozenset({"work_orders:create", "work_orders:update", "work_orders:schedule", "work_orders:cancel"})
OFFICE = frozenset({"customers:*", "sites:*", "districts:*", "assemblies:*", "certifications:*", "gauges:*",
                    "test_reports:*", "submissions:*", "work_orders:*", "monthly_summaries:*"})
TESTING = READS | {"test_reports:create", "test_reports:update", "test_reports:delete", "test_reports:sign",
                   "work_orders:perform"}
# What the app's own roles need of the platform: the tenant, its members (whom to assign), jobs they start.
_PLATFORM = frozenset({TENANT_READ, "users:read", "jobs:read"})

ROLE_GRANTS = {
    "office_admin": OFFICE | _PLATFORM,
    "dispatcher": KEEPING | DISPATCHING | _PLATFORM,
    "tester": TESTING | _PLATFORM,
    "billing": frozenset({"customers:read", "sites:read", "work_orders:read", "monthly_summaries:read"}),
    "member": READS,
    "viewer": READS,
    "customer": frozenset({TENANT_READ, "customers:read", "sites:read", "assemblies:read", "test_reports:read",
                           "work_orders:read", "invoices:read"}),
}
ROLE_SCOPES = {"customer": "cus"}

# Invoices: the office and billing draft, change, send and void them and record payments (an invoice carries what
# it bills: the customer, the lines). Dispatchers, members and viewers read them; a tester has no business with them.
# The customer role gets ``invoices:read`` with the app's confinement to its customer (every invoice carries its
# ``customer_id``), and ``invoices:pay``: the payment link of their own invoices, since paying is what they came for.
ROLE_GRANTS |= {
    "office_admin": ROLE_GRANTS["office_admin"] | {"invoices:*"},
    "billing": ROLE_GRANTS["billing"] | {"invoices:*"},
    **{role: ROLE_GRANTS[role] | {"invoices:read"} for role in ("dispatcher", "member", "viewer")},
    "customer": ROLE_GRANTS["customer"] | {"invoices:pay"},
}
