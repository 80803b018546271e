"""A plugin's configuration (``GET|PUT /v1/plugins/{id}/config``), checked against its manifest's schema
(``config_schema.py``). A write replaces the settings; a secret left out keeps its value and ``null`` clears it,
so a form never needs to send a secret back. Secrets are never read back. Each write is a plugin operation
(counted), audited and emitted as ``plugin.configured`` naming the properties that changed, never their values."""

import json
from typing import Any

from pydantic import ValidationError

from atrium.kernel import clock
from atrium.kernel.errors import Conflict, Unprocessable
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of
from atrium.plugins.catalog import load
from atrium.plugins.config_schema import ConfigSchema, values_model
from atrium.plugins.events import PLUGIN_CONFIGURED, PluginConfigured
from atrium.plugins.models import PluginConfigItem, PluginItem, PluginStatus
from atrium.plugins.operations import count_operation
from atrium.plugins.schemas import ConfigIn, ConfigOut


def _out(plugin: PluginItem, item: PluginConfigItem | None) -> ConfigOut:
    schema = ConfigSchema.of(plugin.config_schema)
    values, secrets = (json.loads(item.values), json.loads(item.secrets)) if item else ({}, {})
    return ConfigOut(plugin_id=plugin.id, values={**schema.defaults(), **values},
                     secrets={name: name in secrets for name in sorted(schema.secrets())},
                     updated_at=clock.iso(item.updated_at) if item else None,
                     updated_by=item.updated_by if item else None)


def read_config(tenant_id: str, plugin_id: str) -> ConfigOut:
    plugin = load(tenant_id, plugin_id)
    return _out(plugin, PluginConfigItem.of(tenant_id, plugin.id))


def _checked(schema: ConfigSchema, merged: dict[str, Any]) -> dict[str, Any]:
    """``merged`` if the schema accepts it, ``null`` meaning unset (so a required property cannot be null)."""
    merged = {name: value for name, value in merged.items() if value is not None or name in schema.required}
    try:
        values_model(schema).model_validate(merged)
    except ValidationError as invalid:
        raise Unprocessable("the configuration does not satisfy the plugin's schema", errors=[{
            "field": ".".join(["body", "values", *map(str, error["loc"])]), "message": error["msg"],
            "code": error["type"]} for error in invalid.errors()]) from None
    return merged


def write_config(principal: Principal, plugin_id: str, body: ConfigIn, info: RequestInfo) -> ConfigOut:
    plugin = load(principal.tenant_id, plugin_id, consistent=True)
    if plugin.status == PluginStatus.REJECTED:
        raise Conflict(f"plugin {plugin_id} was rejected by its scan: it has no configuration")
    schema = ConfigSchema.of(plugin.config_schema)
    item = PluginConfigItem.of(principal.tenant_id, plugin.id, consistent=True)
    if item is None:
        item = PluginConfigItem(tenant_id=principal.tenant_id, plugin_id=plugin.id, updated_by=principal.id)
    before = {**json.loads(item.values), **json.loads(item.secrets)}
    secret_names = schema.secrets()
    after = _checked(schema, {**{name: value for name, value in before.items() if name in secret_names},
                              **body.values})
    changed = sorted(name for name in {*before, *after} if before.get(name) != after.get(name))
    item.values = json.dumps({k: v for k, v in after.items() if k not in secret_names}, sort_keys=True)
    item.secrets = json.dumps({k: v for k, v in after.items() if k in secret_names}, sort_keys=True)
    item.updated_by, item.updated_at = principal.id, clock.now()
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    count_operation(uow)
    uow.save(item)
    uow.record(PLUGIN_CONFIGURED, subject=Ref(type="plugin", id=plugin.id),
               data=PluginConfigured(plugin_id=plugin.id, name=plugin.name, changed=changed).model_dump())
    uow.commit()
    return _out(plugin, item)


