"""Tenants' files in the files bucket, each under ``tenants/<tenant_id>/`` (ARCHITECTURE §6).

Keys are computed here from the tenant scope, as table keys are, so no caller writes outside its
tenant's prefix. Downloads are presigned GET URLs, short-lived. Clients upload straight to S3 with a
presigned POST whose policy fixes the key, the content type and the size; what arrived is then read back
(``stored_object``) before anything refers to it, since a policy only bounds what S3 accepts.
"""

import base64
import hashlib
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.store.keys import tenant_prefix

# How long a presigned download works. Role credentials may expire sooner; a fresh URL is one request away.
DOWNLOAD_URL_SECONDS = 3600
HASH_CHUNK_BYTES = 1024 * 1024  # an object is hashed as it streams, never held whole in memory
# S3 answers 403, not 404, for a missing key to a role that may not list the bucket, and the roles may not (a
# listing would reach every tenant's keys): with s3:GetObject on tenants/* held, a 403 there means missing.
_MISSING_CODES = frozenset({"NoSuchKey", "404", "AccessDenied", "403"})


@lru_cache(maxsize=1)
def _s3() -> Any:
    return boto3.client("s3", region_name=settings().region)


def tenant_key(tenant_id: str, *parts: str) -> str:
    """``tenants/<tenant_id>/<parts...>``; only inside the tenant's scope (as every tenant-owned key)."""
    tenant_prefix(tenant_id)  # refuses a tenant outside the current scope
    return "/".join(("tenants", tenant_id, *parts))


def upload(key: str, path: Path, *, content_type: str, sha256_b64: str, tags: str) -> None:
    """Put a file; S3 checks it against ``sha256_b64`` (the base64 SHA-256) and refuses a corrupted upload."""
    with path.open("rb") as body:
        _s3().put_object(Bucket=settings().files_bucket, Key=key, Body=body, ContentType=content_type,
                         ChecksumSHA256=sha256_b64, Tagging=tags)


def upload_bytes(key: str, body: bytes, *, content_type: str, tags: str) -> str:
    """Put a rendered document (held in memory, small); S3 checks its SHA-256. Its hex SHA-256."""
    digest = hashlib.sha256(body)
    _s3().put_object(Bucket=settings().files_bucket, Key=key, Body=body, ContentType=content_type,
                     ChecksumSHA256=base64.b64encode(digest.digest()).decode(), Tagging=tags)
    return digest.hexdigest()


def download_url(key: str, *, filename: str) -> str:
    return str(_s3().generate_presigned_url("get_object", ExpiresIn=DOWNLOAD_URL_SECONDS, Params={
        "Bucket": settings().files_bucket, "Key": key,
        "ResponseContentDisposition": f'attachment; filename="{filename}"'}))


@dataclass(frozen=True)
class PresignedUpload:
    """A form to POST to ``url``: ``fields`` first, then the file as the last field, named ``file``."""

    url: str
    fields: dict[str, str]
    expires_at: datetime


def presigned_upload(key: str, *, content_type: str, size: int, expires_seconds: int) -> PresignedUpload:
    """A presigned POST for exactly ``size`` bytes of ``content_type`` at ``key`` (a ``tenant_key``).

    The length range is [size, size], not [1, max]: the caller declared the size, so S3 refuses any other
    body outright rather than storing bytes that the verification would refuse afterwards. The signer's
    credentials need s3:PutObject on the key (``Grant.FILES_WRITE``)."""
    post = _s3().generate_presigned_post(
        settings().files_bucket, key, Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
        ExpiresIn=expires_seconds)  # boto3 adds the bucket and exact key conditions itself
    return PresignedUpload(url=str(post["url"]), fields=dict(post["fields"]),
                           expires_at=clock.now() + timedelta(seconds=expires_seconds))


@dataclass(frozen=True)
class StoredObject:
    size: int
    content_type: str
    sha256: str  # hex, of the bytes as stored


def stored_object(key: str) -> StoredObject | None:
    """What is stored at ``key`` (``Grant.FILES_READ``), its SHA-256 computed from the bytes; None when nothing
    is."""
    response = _get(key)
    if response is None:
        return None
    digest = hashlib.sha256()
    with closing(response["Body"]) as body:
        for chunk in body.iter_chunks(HASH_CHUNK_BYTES):
            digest.update(chunk)
    return StoredObject(size=int(response["ContentLength"]), content_type=str(response.get("ContentType", "")),
                        sha256=digest.hexdigest())


def read(key: str) -> bytes | None:
    """The object at ``key`` (``Grant.FILES_READ``), whole: for documents small enough to hold (a PDF); None when
    nothing is stored there."""
    response = _get(key)
    if response is None:
        return None
    with closing(response["Body"]) as body:
        data: bytes = body.read()
    return data


def _get(key: str) -> dict[str, Any] | None:
    """S3's answer to a GetObject of ``key`` (its body still to read), or None when nothing is stored there."""
    try:
        response: dict[str, Any] = _s3().get_object(Bucket=settings().files_bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in _MISSING_CODES:
            return None
        raise
    return response


def copy(source: str, destination: str, *, tags: str) -> None:
    """Copy an object inside the bucket, server-side, tagged ``tags`` (``Grant.FILES_READ`` and ``FILES_WRITE``)."""
    bucket = settings().files_bucket
    _s3().copy_object(Bucket=bucket, Key=destination, CopySource={"Bucket": bucket, "Key": source},
                      TaggingDirective="REPLACE", Tagging=tags)


def keys_under(prefix: str) -> Iterator[str]:
    """Every key under ``prefix`` (a ``tenant_key``), in key order (``Grant.FILES_LIST``)."""
    for page in _s3().get_paginator("list_objects_v2").paginate(Bucket=settings().files_bucket, Prefix=prefix):
        for found in page.get("Contents", []):
            yield str(found["Key"])


DELETE_BATCH = 1000  # keys per DeleteObjects call (S3's limit)


def delete(keys: list[str]) -> None:
    """Delete the objects at ``keys`` (``Grant.FILES_DELETE``); a key with nothing stored is no error, so a
    repeated delete is harmless."""
    for start in range(0, len(keys), DELETE_BATCH):
        batch = keys[start:start + DELETE_BATCH]
        answer = _s3().delete_objects(Bucket=settings().files_bucket, Delete={
            "Objects": [{"Key": key} for key in batch], "Quiet": True})
        if answer.get("Errors"):
            raise RuntimeError(f"files not deleted: {answer['Errors'][:3]}")
