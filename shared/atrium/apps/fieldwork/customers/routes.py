"""Customers and sites routes."""

from typing import TYPE_CHECKING

from fastapi import Response

from atrium.apps.fieldwork.customers.schemas import (
    CustomerCreate,
    CustomerList,
    CustomerOut,
    CustomerUpdate,
    SiteCreate,
    SiteList,
    SiteOut,
    SiteUpdate,
)
from atrium.apps.fieldwork.routing import (
    CREATED,
    CUSTOMER_PATH,
    CUSTOMERS_PATH,
    IN_USE,
    NOT_FOUND,
    READ_ONE,
    SITE_PATH,
    SITES_PATH,
    UPDATED,
)
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.apps.fieldwork.customers import service as customers
else:
    (customers,) = lazy_modules("atrium.apps.fieldwork.customers", "service")

router = ContextRouter("fieldwork")


@router.post(CUSTOMERS_PATH, name="create_customer", permission="customers:create", status_code=201,
             idempotent=True, grants=WRITE, responses=CREATED)
def create_customer(body: CustomerCreate, principal: CurrentPrincipal, info: CurrentRequest,
                    response: Response) -> CustomerOut:
    """A customer: who is billed, and where service happens."""
    customer, version = customers.create_customer(principal, body, info)
    response.headers["Location"] = f"{CUSTOMERS_PATH}/{customer.id}"
    response.headers["ETag"] = etag(version)
    return customer


@router.get(CUSTOMERS_PATH, name="list_customers", permission="customers:read",
            scoped=True, grants={*READ, Grant.CURSOR_KEY_READ})
def list_customers(principal: CurrentPrincipal, paging: Paging) -> CustomerList:
    """The tenant's customers, oldest first."""
    return customers.list_customers(principal, limit=paging.limit, cursor=paging.cursor)


@router.get(CUSTOMER_PATH, name="get_customer", permission="customers:read",
            scoped=True, grants=READ, responses=READ_ONE)
def get_customer(customer_id: str, principal: CurrentPrincipal, response: Response) -> CustomerOut:
    """A customer. The ETag header is the version to send in If-Match."""
    customer, version = customers.get_customer(principal, customer_id)
    response.headers["ETag"] = etag(version)
    return customer


@router.patch(CUSTOMER_PATH, name="update_customer", permission="customers:update", grants=WRITE, responses=UPDATED)
def update_customer(customer_id: str, body: CustomerUpdate, principal: CurrentPrincipal, version: ExpectedVersion,
                    info: CurrentRequest, response: Response) -> CustomerOut:
    """Change a customer's name, billing contact, service address or notes. Requires If-Match."""
    customer, new_version = customers.update_customer(principal, customer_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return customer


@router.delete(CUSTOMER_PATH, name="delete_customer", permission="customers:delete", status_code=204, grants=WRITE,
               responses={**NOT_FOUND, **IN_USE})
def delete_customer(customer_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """A customer without sites."""
    customers.delete_customer(principal, customer_id, info)


@router.post(f"{CUSTOMER_PATH}/sites", name="create_site", permission="sites:create", status_code=201,
             idempotent=True, grants=WRITE, responses={**CREATED, **NOT_FOUND})
def create_site(customer_id: str, body: SiteCreate, principal: CurrentPrincipal, info: CurrentRequest,
                response: Response) -> SiteOut:
    """A site of the customer: where its assemblies are."""
    site, version = customers.create_site(principal, customer_id, body, info)
    response.headers["Location"] = f"{SITES_PATH}/{site.id}"
    response.headers["ETag"] = etag(version)
    return site


@router.get(f"{CUSTOMER_PATH}/sites", name="list_sites", scoped=True, permission="sites:read",
            grants={*READ, Grant.CURSOR_KEY_READ}, responses=NOT_FOUND)
def list_sites(customer_id: str, principal: CurrentPrincipal, paging: Paging) -> SiteList:
    """The customer's sites, oldest first."""
    return customers.list_sites(principal, customer_id, limit=paging.limit, cursor=paging.cursor)


@router.get(SITE_PATH, name="get_site", scoped=True, permission="sites:read", grants=READ, responses=READ_ONE)
def get_site(site_id: str, principal: CurrentPrincipal, response: Response) -> SiteOut:
    """A site. The ETag header is the version to send in If-Match."""
    site, version = customers.get_site(principal, site_id)
    response.headers["ETag"] = etag(version)
    return site


@router.patch(SITE_PATH, name="update_site", permission="sites:update", grants=WRITE, responses=UPDATED)
def update_site(site_id: str, body: SiteUpdate, principal: CurrentPrincipal, version: ExpectedVersion,
                info: CurrentRequest, response: Response) -> SiteOut:
    """Change a site's name, address or access notes. Requires If-Match."""
    site, new_version = customers.update_site(principal, site_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return site


@router.delete(SITE_PATH, name="delete_site", permission="sites:delete", status_code=204, grants=WRITE,
               responses={**NOT_FOUND, **IN_USE})
def delete_site(site_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """A site without assemblies."""
    customers.delete_site(principal, site_id, info)
