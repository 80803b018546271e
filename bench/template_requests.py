"""Requests for the proof templates and the template gallery (bench/aws_calls.py REQUEST_SETUP): templates of the
fixture tenant with a version in its library, and gallery templates another tenant published (so rating and
importing one is what a tenant usually does)."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from atrium.kernel.http.routing import RouteSpec
    from bench.aws_calls import Fixture, Request

NEW_TEMPLATE = {"name": "Bench poster", "fields": [{"name": "size", "label": "Size", "required": True}],
                "checklist": ["Bleed"], "tags": ["print"]}


def _request(path: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> "Request":
    from bench.aws_calls import Request

    return Request(body=body, headers=headers or {}, path=path)


def _library_template(fixture: "Fixture", auth: dict[str, str] | None = None) -> str:
    """The path of a new template with version 1 in its tenant's library."""
    auth = auth or fixture.auth
    response = fixture.client.post("/v1/templates", json=NEW_TEMPLATE, headers=auth)
    response.raise_for_status()
    path = f"/v1/templates/{response.json()['id']}"
    for step in (f"{path}/versions", f"{path}/versions/1/publish"):
        fixture.client.post(step, headers=auth).raise_for_status()
    return path


def _gallery_template(fixture: "Fixture", auth: dict[str, str] | None = None) -> str:
    """The path of a gallery template (another tenant's unless ``auth`` says whose)."""
    auth = auth or fixture.new_user()[1]
    response = fixture.client.post(f"{_library_template(fixture, auth)}/gallery", json={}, headers=auth)
    response.raise_for_status()
    return f"/v1/gallery/templates/{response.json()['id']}"


def _in_gallery(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    path = _library_template(fixture)
    fixture.client.post(f"{path}/gallery", json={}, headers=fixture.auth).raise_for_status()
    return _request(f"{path}/gallery")


def _updated(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    path = _library_template(fixture)
    return _request(path, {"description": "Bench"}, {"If-Match": fixture.etag(path)})


TEMPLATE_SETUP: dict[str, Callable[["Fixture", "RouteSpec"], "Request"]] = {
    "proofs.create_template": lambda fixture, _: _request("/v1/templates", NEW_TEMPLATE),
    "proofs.get_template": lambda fixture, _: _request(_library_template(fixture)),
    "proofs.update_template": _updated,
    "proofs.delete_template": lambda fixture, _: _request(_library_template(fixture)),
    "proofs.create_template_version": lambda fixture, _: _request(f"{_library_template(fixture)}/versions"),
    "proofs.list_template_versions": lambda fixture, _: _request(f"{_library_template(fixture)}/versions"),
    "proofs.publish_template_version": lambda fixture, _: _request(
        f"{_library_template(fixture)}/versions/1/publish"),
    "proofs.create_proof_from_template": lambda fixture, _: _request(
        f"{_library_template(fixture)}/proofs", {"title": "Bench", "values": {"size": "A2"}}),
    "proofs.publish_template_to_gallery": lambda fixture, _: _request(f"{_library_template(fixture)}/gallery", {}),
    "proofs.unpublish_template_from_gallery": _in_gallery,
    "proofs.get_gallery_template": lambda fixture, _: _request(_gallery_template(fixture)),
    "proofs.rate_gallery_template": lambda fixture, _: _request(f"{_gallery_template(fixture)}/rating", {"stars": 4}),
    "proofs.import_gallery_template": lambda fixture, _: _request(f"{_gallery_template(fixture)}/import"),
}
