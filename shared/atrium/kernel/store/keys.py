"""The key scheme (ARCHITECTURE §6). Every key is computed here and nowhere else.

Tenant-owned keys start with ``T#<tenant_id>#`` so an IAM LeadingKeys condition can enforce
isolation below the code; they are only computed inside the matching tenant scope.
"""

from atrium.kernel.tenancy import TenantScopeError, current_tenant

ENTITY_SK = "#"


def _check_part(value: str) -> str:
    if not value or "#" in value:
        raise ValueError(f"key part {value!r} is empty or contains '#'")
    return value


def _scoped_tenant(tenant_id: str) -> str:
    if tenant_id != current_tenant():
        raise TenantScopeError("tenant-owned key outside its tenant scope")
    return _check_part(tenant_id)


def tenant_prefix(tenant_id: str) -> str:
    return f"T#{_scoped_tenant(tenant_id)}#"


def entity_pk(tenant_id: str, entity_type: str, entity_id: str) -> str:
    return f"{tenant_prefix(tenant_id)}{_check_part(entity_type)}#{_check_part(entity_id)}"


def collection_pk(tenant_id: str, entity_type: str) -> str:
    return f"{tenant_prefix(tenant_id)}{_check_part(entity_type)}"


def bucketed_collection_pk(tenant_id: str, entity_type: str, bucket: str) -> str:
    """High-volume streams spread over time buckets to avoid hot partitions."""
    return f"{collection_pk(tenant_id, entity_type)}#{_check_part(bucket)}"


def unique_pk(tenant_id: str, field: str, value: str) -> str:
    return f"{tenant_prefix(tenant_id)}Unique#{_check_part(field)}#{value}"


def global_pk(entity_type: str, natural_key: str) -> str:
    return f"G#{_check_part(entity_type)}#{natural_key}"


def global_collection_pk(entity_type: str, bucket: str | None = None) -> str:
    """A collection of global items (no tenant) on a GSI, optionally split by ``bucket``."""
    collection = f"G#{_check_part(entity_type)}"
    return collection if bucket is None else f"{collection}#{_check_part(bucket)}"


# Plugins' own key-value stores (``T#<tenant>#PluginStore#<plugin id>``): the one kind of tenant item the plugin
# runner reaches, with its own role (``Grant.PLUGIN_STORE``).
PLUGIN_STORE = "PluginStore"
PLUGIN_STORE_KEYS = f"T#*#{PLUGIN_STORE}#*"
# Their values are sealed under their tenant's data keys: the runner reads those items (wrapped: KMS unwraps them).
DATA_KEYS = "T#*#DataKeys#*"
