"""Proofs in tests: versions through the real flow (request an upload, POST the file to the presigned URL as a
browser would, which moto receives, then record it as a version)."""

import hashlib
from typing import Any, Protocol

import requests
from fastapi.testclient import TestClient

PNG = b"\x89PNG\r\n\x1a\n" + b"proof pixels" * 8


class Caller(Protocol):
    @property
    def auth(self) -> dict[str, str]: ...


def request_upload(client: TestClient, caller: Caller, proof_id: str, *, size: int,
                   content_type: str = "image/png", filename: str = "proof.png") -> dict[str, Any]:
    response = client.post(f"/v1/proofs/{proof_id}/uploads", headers=caller.auth,
                           json={"filename": filename, "content_type": content_type, "size": size})
    assert response.status_code == 201, response.text
    upload: dict[str, Any] = response.json()
    return upload


def send_file(upload: dict[str, Any], content: bytes) -> None:
    fields = upload["fields"]
    sent = requests.post(upload["url"], data=fields, files={"file": ("file", content, fields["Content-Type"])},
                         timeout=10)
    assert sent.status_code in (200, 201, 204), sent.text


def upload_version(client: TestClient, tenant: Caller, proof_id: str, content: bytes = PNG,
                   content_type: str = "image/png", filename: str = "proof.png") -> dict[str, Any]:
    """Upload ``content`` as the proof's next version; the version as the API answers it."""
    upload = request_upload(client, tenant, proof_id, size=len(content), content_type=content_type,
                            filename=filename)
    send_file(upload, content)
    response = client.post(f"/v1/proofs/{proof_id}/versions", headers=tenant.auth,
                           json={"upload_id": upload["upload_id"], "sha256": hashlib.sha256(content).hexdigest()})
    assert response.status_code == 201, response.text
    version: dict[str, Any] = response.json()
    return version
