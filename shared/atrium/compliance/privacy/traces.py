"""Where an erasure's trace is kept (``kernel.personal_data.ErasureTrace``): one JSON file per erasure in the
tenant's files, ``tenants/<tenant>/privacy-erasures/<erasure id>.json``. Backups leave the folder out; the tenant's
deletion deletes it with the rest. A restore reads the traces of the erasures carried out since its backup was
taken and replays them (``backups/replay.py``)."""

import json
from dataclasses import asdict

from atrium.kernel import files
from atrium.kernel.personal_data import ErasureTrace

FOLDER = "privacy-erasures/"
_TAG = "atrium-kind=erasure-trace"  # kept: no lifecycle rule matches it


def trace_key(tenant_id: str, erasure_id: str) -> str:
    return files.tenant_key(tenant_id, FOLDER + f"{erasure_id}.json")


def keep(tenant_id: str, erasure_id: str, trace: ErasureTrace) -> None:
    """Keep what an attempt of an erasure changed, beside what its earlier attempts kept."""
    if not (trace.items or trace.files):
        return
    if (earlier := read(tenant_id, erasure_id)) is not None:
        trace = ErasureTrace(items=earlier.items | trace.items, files=sorted({*earlier.files, *trace.files}))
    files.upload_bytes(trace_key(tenant_id, erasure_id), json.dumps(asdict(trace)).encode(),
                       content_type="application/json", tags=_TAG)


def read(tenant_id: str, erasure_id: str) -> ErasureTrace | None:
    """The erasure's trace; None when it changed nothing."""
    body = files.read(trace_key(tenant_id, erasure_id))
    return None if body is None else ErasureTrace(**json.loads(body))
