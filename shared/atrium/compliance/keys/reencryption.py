"""After a rotation, a tenant's items encrypted again under its newest data key (docs/encryption.md).

A task per tenant walks each protected model's collection (``manifest.protected_models()``, their gsi1
collections: one Query a page) and rewrites the protected attributes of each item an older key version sealed:
one UpdateItem of those attributes alone, on the condition that the item's version is still the one read (a change
meanwhile was sealed with the newest key already). The item's version is kept: its content did not change, so
its ETag does not either. The task then queues itself for the next page, or the next model; the last page ends
it. Old versions keep decrypting meanwhile.
"""

from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import UpdateError

from atrium import manifest
from atrium.kernel import tasks
from atrium.kernel.observability import logger
from atrium.kernel.store import data_keys, keys
from atrium.kernel.store.field_encryption import sealed_versions
from atrium.kernel.store.models import Item, TenantEntity
from atrium.kernel.store.protection import protected
from atrium.kernel.store.table import TABLE
from atrium.kernel.tenancy import tenant_scope

REENCRYPT = "compliance.reencrypt"
PAGE_SIZE = 100


def queue_reencryption(tenant_id: str) -> None:
    """Start the tenant's re-encryption (its first model's first page)."""
    models = manifest.protected_models()
    if models:
        tasks.send(REENCRYPT, [_task(tenant_id, models[0].type_name(), None)])


def reencrypt(bodies: list[dict[str, Any]]) -> set[int]:
    """The task: one page each; the next is queued before this one is done (a retry redoes this page only)."""
    for body in bodies:
        tenant_id = body["tenant_id"]
        with tenant_scope(tenant_id):
            rewritten, following = reencrypt_page(tenant_id, body["model"], body.get("start"))
        logger.info("items encrypted again", extra={"tenant_id": tenant_id, "model": body["model"],
                                                     "rewritten": rewritten})
        if following is not None:
            tasks.send(REENCRYPT, [_task(tenant_id, *following)])
    return set()


def reencrypt_page(tenant_id: str, model_name: str, start: dict[str, Any] | None,
                   ) -> tuple[int, tuple[str, dict[str, Any] | None] | None]:
    """Rewrite one page of ``model_name``'s items sealed with an older key: how many, and where the next page
    starts (a model and a start key; None: the tenant is done)."""
    models = {model.type_name(): model for model in manifest.protected_models()}
    model = models[model_name]
    current, _ = data_keys.current_key(tenant_id)
    answer = Item._get_connection().query(keys.collection_pk(tenant_id, model_name), index_name=TABLE.indexes[0].name,
                                          exclusive_start_key=start, limit=PAGE_SIZE)
    rewritten = sum(_rewrite(model, raw) for raw in answer.get("Items", [])
                    if any(version < current for version in sealed_versions(model, raw)))
    if "LastEvaluatedKey" in answer:
        return rewritten, (model_name, answer["LastEvaluatedKey"])
    names = list(models)
    following = names[names.index(model_name) + 1:]
    return rewritten, ((following[0], None) if following else None)


def _rewrite(model: type[TenantEntity], raw: dict[str, Any]) -> bool:
    """Seal the item's protected attributes again (with the newest key); False when it changed meanwhile."""
    item = model.from_raw_data(raw)
    sealed = item.serialize()
    actions = [UnicodeAttribute(attr_name=name).set(sealed[name]["S"]) for name in protected(model) if name in sealed]
    try:
        Item._get_connection().update_item(item.pk, range_key=item.sk, actions=actions,
                                           condition=Item.version == int(raw["version"]["N"]))
    except UpdateError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise
        return False  # changed meanwhile: sealed with the newest key then
    return True


def _task(tenant_id: str, model_name: str, start: dict[str, Any] | None) -> tasks.Task:
    return tasks.Task({"tenant_id": tenant_id, "model": model_name, "start": start},
                      key=f"{REENCRYPT}:{tenant_id}:{model_name}:{start}")
