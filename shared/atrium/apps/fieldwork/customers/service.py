"""Customers and their sites: create, read, list, change, delete. A customer with sites, or a site with assemblies,
is not deleted (409)."""

from atrium.apps.fieldwork import records
from atrium.apps.fieldwork.customers.models import CUSTOMER_SITES, CustomerItem, SiteItem
from atrium.apps.fieldwork.customers.schemas import (
    CustomerChanged,
    CustomerCreate,
    CustomerList,
    CustomerOut,
    CustomerUpdate,
    SiteChanged,
    SiteCreate,
    SiteList,
    SiteOut,
    SiteUpdate,
)
from atrium.apps.fieldwork.events import CUSTOMER, SITE
from atrium.apps.fieldwork.records import Change
from atrium.kernel import ids
from atrium.kernel.store import keys
from atrium.kernel.store.pages import collection_page, fetch_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of


def load_customer(tenant_id: str, customer_id: str, *, consistent: bool = False) -> CustomerItem:
    return records.load(CustomerItem, "cus", tenant_id, customer_id, consistent=consistent)


def load_site(tenant_id: str, site_id: str, *, consistent: bool = False) -> SiteItem:
    return records.load(SiteItem, "sit", tenant_id, site_id, consistent=consistent)


def _uow(principal: Principal, info: RequestInfo) -> UnitOfWork:
    return UnitOfWork(principal.tenant_id, actor_of(principal), info)


def _write_customer(uow: UnitOfWork, customer: CustomerItem, change: Change) -> tuple[CustomerOut, int]:
    records.commit(uow, customer, change, CUSTOMER.of(change), customer.name, CustomerChanged)
    return records.shown(CustomerOut, customer), customer.version or 0


def _write_site(uow: UnitOfWork, site: SiteItem, change: Change) -> tuple[SiteOut, int]:
    records.commit(uow, site, change, SITE.of(change), site.name, SiteChanged)
    return records.shown(SiteOut, site), site.version or 0


def create_customer(principal: Principal, body: CustomerCreate, info: RequestInfo) -> tuple[CustomerOut, int]:
    customer = CustomerItem(tenant_id=principal.tenant_id, id=ids.new_id("cus"), **body.model_dump(mode="json"))
    return _write_customer(_uow(principal, info), customer, "created")


def get_customer(principal: Principal, customer_id: str) -> tuple[CustomerOut, int]:
    records.check_customer(principal, customer_id, CustomerItem, customer_id)
    customer = load_customer(principal.tenant_id, customer_id)
    return records.shown(CustomerOut, customer), customer.version or 0


def list_customers(principal: Principal, *, limit: int, cursor: str | None) -> CustomerList:
    """Oldest first; a customer user's list is their own customer."""
    if principal.scope is not None:
        return CustomerList(data=[get_customer(principal, principal.scope)[0]], next_cursor=None)
    page = collection_page(CustomerItem, principal.tenant_id, limit=limit, cursor=cursor, query="fieldwork:customers")
    return CustomerList(data=[records.shown(CustomerOut, c) for c in page.items], next_cursor=page.next_cursor)


def update_customer(principal: Principal, customer_id: str, change: CustomerUpdate, expected_version: int,
                    info: RequestInfo) -> tuple[CustomerOut, int]:
    customer = load_customer(principal.tenant_id, customer_id, consistent=True)
    records.check_version(customer, expected_version)
    records.apply(customer, change)
    return _write_customer(_uow(principal, info), customer, "updated")


def delete_customer(principal: Principal, customer_id: str, info: RequestInfo) -> None:
    customer = load_customer(principal.tenant_id, customer_id, consistent=True)
    records.check_childless(customer, customer.site_count, "sites")
    records.check_childless(customer, customer.work_order_count, "work orders")
    _write_customer(_uow(principal, info), customer, "deleted")


def create_site(principal: Principal, customer_id: str, body: SiteCreate, info: RequestInfo) -> tuple[SiteOut, int]:
    """The customer is not read: the transaction counts the site on it, on the condition that it exists."""
    if not ids.is_valid_id(customer_id, "cus"):
        raise records.not_found(CustomerItem, customer_id)
    site = SiteItem(tenant_id=principal.tenant_id, id=ids.new_id("sit"), customer_id=customer_id,
                    **body.model_dump(mode="json"))
    uow = _uow(principal, info)
    records.count_child(uow, CustomerItem(tenant_id=principal.tenant_id, id=customer_id), CustomerItem.site_count, 1,
                        missing=records.not_found(CustomerItem, customer_id))
    return _write_site(uow, site, "created")


def get_site(principal: Principal, site_id: str) -> tuple[SiteOut, int]:
    site = load_site(principal.tenant_id, site_id)
    records.check_customer(principal, site.customer_id, SiteItem, site_id)
    return records.shown(SiteOut, site), site.version or 0


def list_sites(principal: Principal, customer_id: str, *, limit: int, cursor: str | None) -> SiteList:
    """Oldest first. The customer is read first, so another tenant's customer is a 404, not an empty list."""
    records.check_customer(principal, customer_id, CustomerItem, customer_id)
    customer = load_customer(principal.tenant_id, customer_id)
    collection = keys.bucketed_collection_pk(principal.tenant_id, CUSTOMER_SITES, customer.id)
    page = fetch_page(lambda start: SiteItem.gsi2.query(collection, limit=limit, page_size=limit,
                                                        last_evaluated_key=start),
                      cursor=cursor, tenant_id=principal.tenant_id, query=f"fieldwork:sites:{customer.id}")
    return SiteList(data=[records.shown(SiteOut, s) for s in page.items if isinstance(s, SiteItem)],
                    next_cursor=page.next_cursor)


def update_site(principal: Principal, site_id: str, change: SiteUpdate, expected_version: int,
                info: RequestInfo) -> tuple[SiteOut, int]:
    site = load_site(principal.tenant_id, site_id, consistent=True)
    records.check_version(site, expected_version)
    records.apply(site, change)
    return _write_site(_uow(principal, info), site, "updated")


def delete_site(principal: Principal, site_id: str, info: RequestInfo) -> None:
    site = load_site(principal.tenant_id, site_id, consistent=True)
    records.check_childless(site, site.assembly_count, "assemblies")
    uow = _uow(principal, info)
    records.count_child(uow, CustomerItem(tenant_id=site.tenant_id, id=site.customer_id), CustomerItem.site_count, -1,
                        missing=records.not_found(CustomerItem, site.customer_id))
    _write_site(uow, site, "deleted")
