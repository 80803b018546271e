"""An operator rotates a tenant's data key: a new version encrypts from now on (written in the tenant's log, naming
the operator), and a task encrypts the tenant's items again under it (``reencryption``)."""

from atrium.compliance.keys.events import DATA_KEY_ROTATED, DataKeyRotated
from atrium.compliance.keys.reencryption import queue_reencryption
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import data_keys
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of, tenant_scope


def rotate_data_key(operator: Principal, tenant_id: str, info: RequestInfo) -> int:
    """The tenant's new key version (``tenant_id`` names an existing tenant: the caller checks)."""
    with tenant_scope(tenant_id):
        uow = UnitOfWork(tenant_id, actor_of(operator), info)
        version = data_keys.rotate(tenant_id, uow)
        uow.record(DATA_KEY_ROTATED, subject=Ref(type="tenant", id=tenant_id),
                   data=DataKeyRotated(key_version=version).model_dump(mode="json"))
        uow.commit()
    queue_reencryption(tenant_id)
    return version
