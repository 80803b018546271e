"""The configuration's host functions: ``config_get`` (any plugin: its settings, defaults included, never a
secret) and ``secrets_get`` (with ``secrets``: one secret's value by key, or no answer when unset). The
configuration item is read once per call, when first asked for."""

import json
from functools import cache
from typing import Any

from atrium.plugins.hook_calls import HookCall
from atrium.plugins.models import PluginConfigItem
from atrium.plugins.runtime.sandbox import Power, PowerError


def config_powers(tenant_id: str, call: HookCall) -> dict[str, Power]:
    @cache
    def stored() -> tuple[dict[str, Any], dict[str, Any]]:
        item = PluginConfigItem.of(tenant_id, call.plugin_id)
        return (json.loads(item.values), json.loads(item.secrets)) if item else ({}, {})

    def config_get(_request: Any) -> Any:
        return {**call.config_defaults, **stored()[0]}

    def secrets_get(request: Any) -> Any:
        key = request.get("key") if isinstance(request, dict) else None
        if not isinstance(key, str):
            raise PowerError('secrets_get takes {"key": "<name>"}')
        secrets = stored()[1]
        return {"value": secrets[key]} if key in secrets else None

    return {"config_get": config_get, "secrets_get": secrets_get}
