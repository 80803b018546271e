"""The readable copy of a tenant's final backup: what the tenant takes with it when it leaves (its deletion offers
it for download). ``export.zip`` beside the backup holds:

- ``items/<Type>.jsonl``: each item backed up, as plain JSON read by its model, its personal attributes decrypted,
  its secrets and credentials (``protection.never_exported``) and its table keys left out;
- ``files/<name>``: the tenant's files, as the backup copied them;
- ``manifest.json``: items per type, and each file's size and SHA-256.

The backup itself stays as stored (ciphertext), for restores; this copy is written only for the final backup, so
plaintext personal data sits in the bucket only while a deletion is pending.
"""

import base64
import hashlib
import json
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from boto3.dynamodb.types import Binary, TypeDeserializer
from pynamodb.attributes import DiscriminatorAttribute, MapAttribute

from atrium.compliance.tenant_items import RawItem, entity_of, model_of
from atrium.kernel import clock, files
from atrium.kernel.store.models import Item
from atrium.kernel.store.protection import never_exported
from atrium.kernel.store.table import TABLE

EXPORT = "export.zip"
CONTENT_TYPE = "application/zip"
_TABLE_KEYS = frozenset(TABLE.key_attributes())
_deserialize = TypeDeserializer().deserialize


def _plain(value: Any) -> Any:
    """An attribute's value as JSON has it."""
    if isinstance(value, MapAttribute):
        return _plain(value.as_dict())  # type: ignore[no-untyped-call]
    if isinstance(value, datetime):
        return clock.iso(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Binary | bytes):
        return base64.b64encode(cast(bytes, getattr(value, "value", value))).decode()  # Binary holds its bytes
    if isinstance(value, set | frozenset):
        return sorted(_plain(member) for member in value)
    if isinstance(value, list):
        return [_plain(member) for member in value]
    if isinstance(value, dict):
        return {key: _plain(member) for key, member in value.items()}
    return value


def readable_item(opened: RawItem) -> dict[str, Any]:
    """An item decrypted (``contents.opened``) as plain JSON, read by its model (JSON attributes as objects, times
    as ISO 8601), without its table keys, its type (the file's name) and what no export holds."""
    model = model_of(opened)
    left_out = _TABLE_KEYS | never_exported(model)
    if model is Item:  # a type no model declares: its values as stored
        return {name: _plain(_deserialize(cast(Any, value))) for name, value in sorted(opened.items())
                if name not in left_out}
    item = model.from_raw_data(opened)
    values = {name: getattr(item, name) for name, attribute in model.get_attributes().items()
              if attribute.attr_name not in left_out and not isinstance(attribute, DiscriminatorAttribute)}
    return {name: _plain(value) for name, value in sorted(values.items()) if value is not None}


class ReadableExport:
    """Items added one at a time (any order of types), each type's lines in a file of its own under ``directory``;
    ``write`` zips them with the backup's files."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.counts: dict[str, int] = {}

    def add(self, opened: RawItem) -> None:
        entity = entity_of(opened)
        with (self.directory / f"{entity}.jsonl").open("a") as lines:
            lines.write(json.dumps(readable_item(opened), ensure_ascii=False, separators=(",", ":")) + "\n")
        self.counts[entity] = self.counts.get(entity, 0) + 1

    def write(self, tenant_id: str, backup_prefix: str, copied: list[dict[str, Any]], *, tags: str) -> dict[str, Any]:
        """Zip the items and the backup's copies of the files, upload it beside the backup; its key, size and
        SHA-256."""
        path = self.directory / EXPORT
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for entity in sorted(self.counts):
                archive.write(self.directory / f"{entity}.jsonl", f"items/{entity}.jsonl")
            for found in copied:
                if (body := files.read(f"{backup_prefix}files/{found['key']}")) is not None:
                    archive.writestr(f"files/{found['key']}", body)
            archive.writestr("manifest.json", json.dumps({
                "tenant_id": tenant_id, "exported_at": clock.iso(clock.now()), "items": self.counts,
                "files": [{"name": found["key"], "bytes": found["size"], "sha256": found["sha256"]}
                          for found in copied]}, indent=1))
        digest = hashlib.sha256(path.read_bytes())
        files.upload(backup_prefix + EXPORT, path, content_type=CONTENT_TYPE,
                     sha256_b64=base64.b64encode(digest.digest()).decode(), tags=tags)
        return {"key": EXPORT, "bytes": path.stat().st_size, "sha256": digest.hexdigest()}
