"""The customer's email about a visit: what it says of the day, the window, the sites and the assemblies, rendered as
text and escaped HTML."""

from typing import Any

from atrium.apps.fieldwork.assemblies.models import AssemblyItem
from atrium.apps.fieldwork.customers.models import CustomerItem, SiteItem
from atrium.apps.fieldwork.workorders.emails import notice
from atrium.apps.fieldwork.workorders.schemas import WorkOrderChanged
from atrium.mail.branding import Branding
from atrium.mail.rendering import render

ADDRESS = {"line1": "12 Harbour Road", "city": "Springfield"}
HOSTILE = '<script>alert("x")</script> & Co'


def _order(**changes: Any) -> WorkOrderChanged:
    return WorkOrderChanged.model_validate({
        "id": "wo_1", "customer_id": "cus_1", "assembly_ids": ["asm_1", "asm_gone", "asm_2"], "line_items": [],
        "notes": "", "status": "scheduled", "scheduled_on": "2026-12-03", "window": {"start": "08:00", "end": "10:30"},
        "tester_id": "usr_1", "invoice_id": None, "started_at": None, "completed_at": None, "canceled_at": None,
        "invoiced_at": None, "closed_at": None} | changes)


def _assembly(assembly_id: str, site_id: str, kind: str, location: str) -> AssemblyItem:
    return AssemblyItem(tenant_id="ten_1", id=assembly_id, site_id=site_id, customer_id="cus_1", district_id="dst_1",
                        type=kind, make="Watts", model="909", serial=f"S-{assembly_id}", size_inches=0.75,
                        location=location, hazard="high")


CUSTOMER = CustomerItem(tenant_id="ten_1", id="cus_1", name=HOSTILE, service_address=ADDRESS,
                        billing_contact={"name": "Dana Reyes", "email": "dana@harbour.example"})
# Listed out of the order's order, on two sites; "asm_gone" was deleted since the order was scheduled.
ASSEMBLIES = [_assembly("asm_2", "sit_2", "DC", ""), _assembly("asm_1", "sit_1", "RP", "Meter room")]
SITES = {"sit_1": SiteItem(tenant_id="ten_1", id="sit_1", customer_id="cus_1", name="Main shop", address=ADDRESS),
         "sit_2": SiteItem(tenant_id="ten_1", id="sit_2", customer_id="cus_1", name="Depot",
                           address={"line1": "3 Quay", "line2": "Unit 4", "city": "Eugene"})}


def test_a_scheduled_visit_names_its_day_window_sites_and_assemblies_in_the_orders_order() -> None:
    context = notice(_order(), CUSTOMER, ASSEMBLIES, SITES, canceled=False)
    assert context["headline"] == "Backflow test scheduled: Thursday 3 December 2026, 08:00 to 10:30"
    assert context["message"].startswith("Dear Dana Reyes, our certified tester will visit")
    assert context["details"] == [
        ("Day", "Thursday 3 December 2026"), ("Window", "08:00 to 10:30"),
        ("Site", "Main shop, 12 Harbour Road, Springfield"), ("Site", "Depot, 3 Quay, Unit 4, Eugene"),
        ("Assembly", "RP Watts 909, serial S-asm_1 (Meter room)"), ("Assembly", "DC Watts 909, serial S-asm_2")]


def test_a_canceled_visit_says_so() -> None:
    context = notice(_order(status="canceled"), CUSTOMER, ASSEMBLIES[:1], {}, canceled=True)
    assert context["headline"] == "Backflow test canceled: Thursday 3 December 2026"
    assert "is canceled" in context["message"]
    assert ("Site", "a site no longer on record") in context["details"]


def test_the_notice_renders_as_text_and_escaped_html() -> None:
    context = notice(_order(), CUSTOMER, ASSEMBLIES, SITES, canceled=False)
    rendered = render("notice", branding=Branding(), **context)
    assert rendered.subject == context["headline"]
    assert HOSTILE in rendered.text and "Window: 08:00 to 10:30\n" in rendered.text
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert ">Assembly</td><td style=\"padding:2px 0\">DC Watts 909, serial S-asm_2</td>" in rendered.html
    assert "Unsubscribe" not in rendered.text + rendered.html  # transactional
