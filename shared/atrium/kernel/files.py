"""Tenants' files in the files bucket, each under ``tenants/<tenant_id>/`` (ARCHITECTURE §6).

Keys are computed here from the tenant scope, as table keys are, so no caller writes outside its
tenant's prefix. Downloads are presigned GET URLs, short-lived.
"""

from functools import lru_cache
from pathlib import Path
from typing import Any

import boto3

from atrium.kernel.config import settings
from atrium.kernel.store.keys import tenant_prefix

# How long a presigned download works. Role credentials may expire sooner; a fresh URL is one request away.
DOWNLOAD_URL_SECONDS = 3600


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


def download_url(key: str, *, filename: str) -> str:
    return str(_s3().generate_presigned_url("get_object", ExpiresIn=DOWNLOAD_URL_SECONDS, Params={
        "Bucket": settings().files_bucket, "Key": key,
        "ResponseContentDisposition": f'attachment; filename="{filename}"'}))
