"""Identity's public face: what other contexts and apps may use of tenants and their members (functions and
the read models they return; identity's stored models stay private to it)."""

from atrium.identity.developers.access import DEVELOPER_PERMISSION
from atrium.identity.directory import tenant_ids
from atrium.identity.members.admins import Admin, tenant_admins
from atrium.identity.members.lookup import Member, active_members
from atrium.identity.operator.roles import MARKETPLACE_REVIEW
from atrium.identity.tenants import get_tenant, tenant_name

__all__ = ["DEVELOPER_PERMISSION", "MARKETPLACE_REVIEW", "Admin", "Member", "active_members", "get_tenant",
           "tenant_admins", "tenant_ids", "tenant_name"]
