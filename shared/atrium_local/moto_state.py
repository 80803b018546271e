"""moto's whole in-memory state (every region backend of every service) as bytes, and back.

moto's registries (``BackendDict`` per service, one per account under it) are not saved but named, and a loaded
backend goes into the live registry, so references between services survive. S3's registry also maps every
bucket name to its account (the global bucket namespace): that map is saved with the backends. Locks are saved as
new ones, and KMS's private keys by their DER encoding (neither pickles as it is).
"""

import io
import pickle
import threading
from typing import Any

import moto
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.backends import get_backend
from moto.core.base_backend import AccountSpecificBackend, BackendDict
from moto.s3.models import s3_backends

Place = tuple[str, str, str]  # (service, account, region)
_LOCKS = {type(threading.Lock()): threading.Lock, type(threading.RLock()): threading.RLock,
          threading.Condition: threading.Condition}


def _private_key(der: bytes) -> Any:
    return serialization.load_der_private_key(der, password=None)


class _Saver(pickle.Pickler):
    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, AccountSpecificBackend):
            return ("account", obj.service_name, obj.account_id)
        if isinstance(obj, BackendDict):
            return ("service", obj.service_name)
        return None

    def reducer_override(self, obj: Any) -> Any:
        if (make := _LOCKS.get(type(obj))) is not None:
            return make, ()
        if isinstance(obj, rsa.RSAPrivateKey):
            return _private_key, (obj.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()),)
        return NotImplemented


class _Loader(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> Any:
        match pid:
            case ("account", service, account_id):
                return get_backend(service)[account_id]
            case ("service", service):
                return get_backend(service)
        raise pickle.UnpicklingError(f"unknown reference {pid!r}")


def _backends() -> dict[Place, Any]:
    services: list[BackendDict[Any]] = BackendDict._instances  # type: ignore[misc]
    return {(service.service_name, account_id, region): backend
            for service in services for account_id, account in service.items() for region, backend in account.items()}


def dump(generation: int) -> bytes:
    buffer = io.BytesIO()
    _Saver(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(
        (moto.__version__, generation, _backends(), s3_backends.bucket_accounts))
    return buffer.getvalue()


def load(data: bytes) -> int:
    """Install the saved backends in moto's registries (which must hold no state yet); returns their generation."""
    version, generation, backends, bucket_accounts = _Loader(io.BytesIO(data)).load()
    if version != moto.__version__:
        raise ValueError(f"the data was saved by moto {version}, this is moto {moto.__version__}")
    for (service, account_id, region), backend in backends.items():
        dict.__setitem__(get_backend(service)[account_id], region, backend)
    s3_backends.bucket_accounts.update(bucket_accounts)
    return int(generation)
