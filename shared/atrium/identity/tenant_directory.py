"""The tenants as the contexts identity builds on reach them (``TENANT_DIRECTORY``, ``manifest.tenant_directory``)."""

from atrium.identity.directory import tenant_ids
from atrium.identity.new_tenants import open_tenant
from atrium.identity.tenants import held_for_deletion, hold_for_deletion, tenant_name
from atrium.kernel.tenancy import TenantDirectory

TENANT_DIRECTORY = TenantDirectory(tenant_ids=tenant_ids, tenant_name=tenant_name, open_tenant=open_tenant,
                                   hold_for_deletion=hold_for_deletion, held_for_deletion=held_for_deletion)
