"""What the fieldwork app's routers share: its paths and the answers every feature documents."""

from atrium.kernel.http.routing import ETAG_HEADER, LOCATION_HEADER

ROOT = "/v1/fieldwork"
CUSTOMERS_PATH = f"{ROOT}/customers"
CUSTOMER_PATH = f"{CUSTOMERS_PATH}/{{customer_id}}"
SITES_PATH = f"{ROOT}/sites"
SITE_PATH = f"{SITES_PATH}/{{site_id}}"
DISTRICTS_PATH = f"{ROOT}/districts"
DISTRICT_PATH = f"{DISTRICTS_PATH}/{{district_id}}"
ASSEMBLIES_PATH = f"{ROOT}/assemblies"
ASSEMBLY_PATH = f"{ASSEMBLIES_PATH}/{{assembly_id}}"
DUE_ASSEMBLIES_PATH = f"{ROOT}/due-assemblies"
OVERDUE_ASSEMBLIES_PATH = f"{ROOT}/overdue-assemblies"
CERTIFICATIONS_PATH = f"{ROOT}/certifications"
CERTIFICATION_PATH = f"{CERTIFICATIONS_PATH}/{{certification_id}}"
GAUGES_PATH = f"{ROOT}/gauges"
GAUGE_PATH = f"{GAUGES_PATH}/{{gauge_id}}"
REPORTS_PATH = f"{ROOT}/reports"
REPORT_PATH = f"{REPORTS_PATH}/{{report_id}}"
SUBMISSIONS_PATH = f"{ROOT}/submissions"
SUBMISSION_PATH = f"{SUBMISSIONS_PATH}/{{submission_id}}"
WORK_ORDERS_PATH = f"{ROOT}/work-orders"
WORK_ORDER_PATH = f"{WORK_ORDERS_PATH}/{{work_order_id}}"
TESTER_SCHEDULE_PATH = f"{ROOT}/testers/{{user_id}}/schedule"
SYNC_PATH = f"{ROOT}/sync"
INVOICES_PATH = f"{ROOT}/invoices"
INVOICE_PATH = f"{INVOICES_PATH}/{{invoice_id}}"
UNPAID_INVOICES_PATH = f"{ROOT}/unpaid-invoices"

NOT_FOUND = {404: {"description": "Not found in the caller's tenant"}}
UPDATED = {200: {"headers": ETAG_HEADER}, **NOT_FOUND, 412: {"description": "If-Match does not match"},
           428: {"description": "If-Match missing"}}
IN_USE = {409: {"description": "Records still refer to it: delete or move them first"}}
CREATED = {201: {"headers": LOCATION_HEADER | ETAG_HEADER}}
READ_ONE = {200: {"headers": ETAG_HEADER}, **NOT_FOUND}
