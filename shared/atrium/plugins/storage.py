"""The ``storage`` host functions: a plugin's key-value store, bound to the tenant and installed plugin of the
call. The partition comes from the call, never from the plugin's request, so no plugin names another's keys and
no tenant's install reads another tenant's."""

import json
from typing import Any

from pynamodb.exceptions import DoesNotExist

from atrium.kernel.store.models import Item
from atrium.plugins.models import PluginValueItem, store_pk
from atrium.plugins.runtime.sandbox import Power, PowerError

MAX_KEY_CHARS, MAX_VALUE_BYTES = 256, 64 * 1024


def _key(request: Any) -> str:
    key = request.get("key") if isinstance(request, dict) else None
    if (not isinstance(key, str) or not 1 <= len(key) <= MAX_KEY_CHARS or len(key.encode()) > 4 * MAX_KEY_CHARS
            or not key.isprintable()):
        raise PowerError(f"a key is 1 to {MAX_KEY_CHARS} printable characters")
    return key


def storage_powers(tenant_id: str, plugin_id: str) -> dict[str, Power]:
    """The store's host functions for one installed plugin (in the tenant's scope)."""

    def get(request: Any) -> Any:
        try:
            item = PluginValueItem.get(store_pk(tenant_id, plugin_id), f"K#{_key(request)}")
        except DoesNotExist:
            return None
        return {"value": json.loads(item.value)}

    def put(request: Any) -> None:
        key, value = _key(request), json.dumps(request.get("value"))
        if len(value.encode()) > MAX_VALUE_BYTES:
            raise PowerError(f"a value is at most {MAX_VALUE_BYTES} bytes of JSON")
        item = PluginValueItem(tenant_id=tenant_id, plugin_id=plugin_id, key=key, value=value)
        sealed = item.serialize()  # keys assigned, the value sealed
        # A plain put: the last write of a key wins (a plugin's store has no versions to compare).
        Item._get_connection().put_item(item.pk, range_key=item.sk, attributes=sealed)

    def delete(request: Any) -> None:
        PluginValueItem(tenant_id=tenant_id, plugin_id=plugin_id, key=_key(request), value="null").delete()

    return {"storage_get": get, "storage_set": put, "storage_delete": delete}
