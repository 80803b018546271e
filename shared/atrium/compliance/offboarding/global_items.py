"""The global items that point at a deleted tenant, found by what they name rather than by a list of types, so a
context adding such an item is covered if it names the tenant as the others do:

- an item whose ``tenant_id`` or ``publisher_tenant_id`` is the tenant (API token secrets, invitation and refresh
  tokens, MFA challenges, inbound hook addresses, gallery listings), or whose natural key is its id (its
  directory entry), is deleted with every item of its partition (a listing's tag entries and ratings);
- an item listing the tenant in ``tenant_ids`` (a user's memberships) loses it from the list; the user stays.

One Scan of the table, kept to global items (``G#``), signed by the function's own role (``Grant.TABLE_SCAN``):
global items are nobody's tenant, and no index lists them by tenant.
"""

from typing import Any

from pynamodb.constants import DATETIME_FORMAT

from atrium.compliance.offboarding.models import DELETION
from atrium.compliance.tenant_items import SCAN_PAGE, RawItem, table_client
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.tenancy import outside_tenant_scope

_POINTING = ("begins_with(pk, :global) AND (tenant_id = :t OR publisher_tenant_id = :t OR contains(tenant_ids, :t)"
             " OR (natural_key = :t AND entity <> :deletion))")
_RETRIES = 5


def forget_tenant(tenant_id: str) -> int:
    """Delete or update the global items pointing at ``tenant_id``: how many."""
    request: dict[str, Any] = {
        "TableName": settings().table_name, "Limit": SCAN_PAGE, "FilterExpression": _POINTING,
        "ExpressionAttributeValues": {":global": {"S": "G#"}, ":t": {"S": tenant_id}, ":deletion": {"S": DELETION}}}
    done = 0
    with outside_tenant_scope():
        while True:
            answer = table_client().scan(**request)
            for raw in answer.get("Items", []):
                done += _leave(raw, tenant_id) if _lists(raw, tenant_id) else _delete_partition(raw)
            if "LastEvaluatedKey" not in answer:
                return done
            request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def _lists(raw: RawItem, tenant_id: str) -> bool:
    return any(value.get("S") == tenant_id for value in raw.get("tenant_ids", {}).get("L", []))


def _delete_partition(raw: RawItem) -> int:
    client, table = table_client(), settings().table_name
    found = client.query(TableName=table, KeyConditionExpression="#pk = :pk", ExpressionAttributeNames={"#pk": "pk"},
                         ExpressionAttributeValues={":pk": raw["pk"]}, ProjectionExpression="#pk, sk")["Items"]
    for item in found:
        client.delete_item(TableName=table, Key={"pk": item["pk"], "sk": item["sk"]})
    return len(found)


def _leave(raw: RawItem, tenant_id: str) -> int:
    """The tenant taken out of the item's ``tenant_ids``, at its version (a concurrent change is read again)."""
    client, table = table_client(), settings().table_name
    for _ in range(_RETRIES):
        kept = [value for value in raw["tenant_ids"]["L"] if value.get("S") != tenant_id]
        version = raw["version"]["N"]
        try:
            client.update_item(
                TableName=table, Key={"pk": raw["pk"], "sk": raw["sk"]},
                UpdateExpression="SET tenant_ids = :kept, version = :next, updated_at = :now",
                ConditionExpression="version = :version",
                ExpressionAttributeValues={":kept": {"L": kept}, ":version": {"N": version},
                                           ":next": {"N": str(int(version) + 1)},
                                           ":now": {"S": clock.now().strftime(DATETIME_FORMAT)}})
            return 1
        except client.exceptions.ConditionalCheckFailedException:
            raw = client.get_item(TableName=table, Key={"pk": raw["pk"], "sk": raw["sk"]}, ConsistentRead=True)["Item"]
    raise RuntimeError(f"{raw['pk']['S']} kept changing; the next run takes the tenant out of it")
