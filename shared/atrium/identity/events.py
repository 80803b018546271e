"""Event types the identity context emits."""

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType


class TenantCreated(BaseModel):
    tenant_id: str
    name: str
    owner_user_id: str
    owner_email: str


class TenantUpdated(BaseModel):
    tenant_id: str
    name: str
    previous_name: str


TENANT_CREATED = EventType("tenant.created", TenantCreated, "A tenant signed up; its owner is the first user.",
                           read_permission="tenant:read")
TENANT_UPDATED = EventType("tenant.updated", TenantUpdated, "A tenant's settings changed.",
                           read_permission="tenant:read")

EVENT_TYPES = [TENANT_CREATED, TENANT_UPDATED]
