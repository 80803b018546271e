"""Installed plugins and their pending uploads (tenant entities), and a plugin's own key-value store: one item
per key of an installed plugin, in its tenant's partition (``T#<tenant>#PluginStore#<plugin id>``, sort key
``K#<key>``), the value sealed under the tenant's data key (``secret``: a plugin may store anything, and it is never
part of an export)."""

from typing import Literal

from pydantic import BaseModel
from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import DoesNotExist

from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, TenantEntity
from atrium.kernel.store.protection import secret
from atrium.plugins.runtime.abi import Limits

STORE = keys.PLUGIN_STORE


class PluginValueItem(Item, discriminator="PluginValue"):
    tenant_id = UnicodeAttribute()
    plugin_id = UnicodeAttribute()
    key = UnicodeAttribute()
    value = secret(UnicodeAttribute())  # JSON

    def assign_keys(self) -> None:
        self.pk = store_pk(self.tenant_id, self.plugin_id)
        self.sk = f"K#{self.key}"


def store_pk(tenant_id: str, plugin_id: str) -> str:
    return keys.entity_pk(tenant_id, STORE, plugin_id)


CONFIG_SK = "CONFIG"


class PluginConfigItem(Item, discriminator="PluginConfig"):
    """A plugin's configuration: its settings and its secrets, each sealed as one JSON document (property -> value,
    unset ones absent); in its store's partition, where the runner reads it (``config_get``, ``secrets_get``) and
    the uninstall purge finds it."""

    tenant_id = UnicodeAttribute()
    plugin_id = UnicodeAttribute()
    values = secret(UnicodeAttribute(default="{}"))
    secrets = secret(UnicodeAttribute(default="{}"))
    updated_by = UnicodeAttribute()

    def assign_keys(self) -> None:
        self.pk, self.sk = store_pk(self.tenant_id, self.plugin_id), CONFIG_SK

    @classmethod
    def of(cls, tenant_id: str, plugin_id: str, *, consistent: bool = False) -> "PluginConfigItem | None":
        """The plugin's configuration, if it was ever written."""
        try:
            return cls.get(store_pk(tenant_id, plugin_id), CONFIG_SK, consistent_read=consistent)
        except DoesNotExist:
            return None


class PendingUpgrade(BaseModel):
    """A new version asked for (``POST /v1/plugins/{id}/upgrade``), kept on the plugin as JSON while the old one
    runs: being checked (``scanning``), waiting for an admin's consent to the permissions it adds
    (``awaiting_consent``), or refused by its scan (``rejected``, with the findings)."""

    version: str
    type: str
    description: str
    permissions: list[str]
    hooks: list[str]  # declared
    http_hosts: list[str]
    priority: int
    config_schema: str | None
    limits_json: str | None = None
    upload_key: str
    sha256: str
    size: int
    job_id: str
    requested_by: str
    requested_at: str
    status: Literal["scanning", "awaiting_consent", "rejected"] = "scanning"
    findings: list[str] = []
    added_permissions: list[str] = []
    added_hosts: list[str] = []  # hosts ``http_fetch`` would reach beyond those granted
    exported_hooks: list[str] = []
    module_key: str | None = None

    @classmethod
    def of(cls, plugin: "PluginItem") -> "PendingUpgrade | None":
        return cls.model_validate_json(plugin.pending_upgrade) if plugin.pending_upgrade else None


class PluginStatus:
    SCANNING = "scanning"  # its install job checks the bundle
    INSTALLED = "installed"
    REJECTED = "rejected"  # the scan refused it (``scan_findings``)


class PluginUploadItem(TenantEntity, discriminator="PluginUpload"):
    """A bundle the client was given a presigned POST for, not yet installed: its declared size and SHA-256.
    Installing it deletes it; otherwise the table's TTL does (``expires_at``)."""

    file_key = UnicodeAttribute()
    size = NumberAttribute()
    sha256 = UnicodeAttribute()
    requested_by = UnicodeAttribute()


class PluginItem(TenantEntity, discriminator="Plugin"):
    """An installed plugin: its manifest, who granted its permissions and when, and its module once the scan
    passed (``module_key``, SHA-256, size)."""

    name = UnicodeAttribute()
    plugin_version = UnicodeAttribute()  # the manifest's (``version`` is the item's own)
    type = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    permissions = ListAttribute[str](default=list)
    declared_hooks = ListAttribute[str](default=list)
    http_hosts = ListAttribute[str](default=list)
    config_schema = UnicodeAttribute(null=True)  # the manifest's ``config`` (JSON Schema), as JSON
    limits_json = UnicodeAttribute(null=True)  # the manifest's ``limits``, as JSON (none: the defaults)
    priority = NumberAttribute(default=100)  # on a hook several plugins handle, lower runs first
    loaded = BooleanAttribute(default=True)  # an unloaded plugin stays installed, and no hook runs it
    status = UnicodeAttribute(default=PluginStatus.SCANNING)
    granted_by = UnicodeAttribute()
    granted_at = UTCDateTimeAttribute()
    job_id = UnicodeAttribute()
    upload_key = UnicodeAttribute()
    sha256 = UnicodeAttribute()
    size = NumberAttribute()
    module_key = UnicodeAttribute(null=True)
    security_scan_passed = BooleanAttribute(null=True)
    scan_findings = ListAttribute[str](default=list)
    hooks = ListAttribute[str](default=list)  # exported, as the scan found them
    pending_upgrade = UnicodeAttribute(null=True)  # a ``PendingUpgrade``, as JSON

    def limits(self) -> Limits:
        return Limits.from_json(self.limits_json)
    listing_id = UnicodeAttribute(null=True)  # installed from the marketplace: its listing (else a private bundle)
