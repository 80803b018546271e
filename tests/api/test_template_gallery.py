"""The public template gallery: publishing needs its permission, listing and search, rating rules, imports,
unpublishing, and what other tenants can and cannot do."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Tenant, signup
from tests.api.template_helpers import Caller, a_template, published
from tests.support.people import add_member

GALLERY = "/v1/gallery/templates"


def _listed(client: TestClient, owner: Tenant, **body: Any) -> dict[str, Any]:
    """A template of ``owner`` published in its library and in the gallery; the listing."""
    template = published(client, owner, **body)
    response = client.post(f"/v1/templates/{template['id']}/gallery", json={}, headers=owner.auth)
    assert response.status_code == 200, response.text
    listing: dict[str, Any] = response.json()
    return listing | {"template_id": template["id"]}


def _rate(client: TestClient, rater: Caller, listing_id: str, stars: object) -> Any:
    return client.put(f"{GALLERY}/{listing_id}/rating", json={"stars": stars}, headers=rater.auth)


def _actions(client: TestClient, tenant: Tenant) -> list[str]:
    return [event["action"] for event in client.get("/v1/audit-events", headers=tenant.auth).json()["data"]]


def test_publishing_needs_the_permission(client: TestClient, tenant_a: Tenant) -> None:
    member = add_member(tenant_a.id, "member")
    template = published(client, tenant_a)
    path = f"/v1/templates/{template['id']}/gallery"
    assert client.post(path, json={}, headers=member.auth).status_code == 403
    admin = add_member(tenant_a.id, "admin")
    assert client.post(path, json={}, headers=admin.auth).status_code == 200
    assert client.delete(path, headers=member.auth).status_code == 403
    assert client.get(GALLERY, headers=member.auth).status_code == 200
    assert "template.gallery_published" in _actions(client, tenant_a)


def test_a_listing_shows_the_snapshot_without_default_reviewers(client: TestClient, tenant_a: Tenant,
                                                                tenant_b: Tenant) -> None:
    reviewer = add_member(tenant_a.id, "member")
    listing = _listed(client, tenant_a, name="Poster", description="For print", tags=["print"],
                      default_reviewers=[{"user_id": reviewer.user_id}])
    seen = client.get(f"{GALLERY}/{listing['id']}", headers=tenant_b.auth)
    assert seen.status_code == 200, seen.text
    body = seen.json()
    assert reviewer.user_id not in seen.text and listing["template_id"] not in seen.text
    assert (body["name"], body["description"], body["tags"], body["template_version"]) == (
        "Poster", "For print", ["print"], 1)
    assert (body["publisher_tenant_id"], body["publisher_name"]) == (tenant_a.id, "Tenant A")
    assert (body["rating_average"], body["rating_count"], body["import_count"]) == (None, 0, 0)
    assert body["checklist"] == ["Bleed is 3 mm"] and body["fields"][0]["name"] == "size"


def test_a_version_is_needed(client: TestClient, tenant_a: Tenant) -> None:
    template = a_template(client, tenant_a)
    path = f"/v1/templates/{template['id']}/gallery"
    assert client.post(path, json={}, headers=tenant_a.auth).status_code == 409
    assert client.post(path, json={"version": 1}, headers=tenant_a.auth).status_code == 404
    client.post(f"/v1/templates/{template['id']}/versions", headers=tenant_a.auth)
    assert client.post(path, json={"version": 1}, headers=tenant_a.auth).status_code == 200


def test_search_by_name_prefix_and_tag(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    banner = _listed(client, tenant_a, name="Banner", tags=["print", "outdoor"])
    brochure = _listed(client, tenant_b, name="brochure", tags=["print"])
    flyer = _listed(client, tenant_a, name="Flyer", tags=["outdoor"])
    _private = published(client, tenant_a, name="Bronze")  # in the library, not in the gallery

    def names(**params: str) -> list[str]:
        response = client.get(GALLERY, params=params, headers=tenant_b.auth)
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()["data"]]

    assert names() == ["Banner", "brochure", "Flyer"]
    assert names(q="B") == names(q="b") == ["Banner", "brochure"]
    assert names(q="bro") == ["brochure"]
    assert names(tag="print") == ["Banner", "brochure"]
    assert names(tag="outdoor", q="fl") == ["Flyer"]
    assert names(tag="nothing") == []
    first = client.get(GALLERY, params={"limit": 2}, headers=tenant_b.auth).json()
    rest = client.get(GALLERY, params={"cursor": first["next_cursor"]}, headers=tenant_b.auth).json()
    assert [i["id"] for i in first["data"] + rest["data"]] == [banner["id"], brochure["id"], flyer["id"]]
    # a cursor is bound to the tenant that listed (and to the search)
    assert client.get(GALLERY, params={"cursor": first["next_cursor"]}, headers=tenant_a.auth).status_code == 400
    assert client.get(GALLERY, params={"cursor": first["next_cursor"], "q": "b"},
                      headers=tenant_b.auth).status_code == 400


@pytest.mark.parametrize("stars", [0, 6, 3.5, "4", None])
def test_stars_are_one_to_five(client: TestClient, tenant_a: Tenant, tenant_b: Tenant, stars: object) -> None:
    listing = _listed(client, tenant_a)
    assert _rate(client, tenant_b, listing["id"], stars).status_code == 422
    assert client.get(f"{GALLERY}/{listing['id']}", headers=tenant_b.auth).json()["rating_count"] == 0


def test_one_rating_per_tenant_updatable(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    listing = _listed(client, tenant_a, tags=["print"])
    tenant_c = signup(client, "Tenant C")
    first = _rate(client, tenant_b, listing["id"], 2)
    assert first.status_code == 200, first.text
    assert (first.json()["rating_average"], first.json()["rating_count"]) == (2, 1)
    again = _rate(client, tenant_b, listing["id"], 5)  # replaces tenant B's rating: the count stays
    assert (again.json()["rating_average"], again.json()["rating_count"]) == (5, 1)
    colleague = add_member(tenant_b.id, "member")  # another user of tenant B still speaks for tenant B
    by_colleague = _rate(client, colleague, listing["id"], 4)
    assert by_colleague.status_code == 200, by_colleague.text
    assert by_colleague.json()["rating_count"] == 1
    other = _rate(client, tenant_c, listing["id"], 1).json()
    assert (other["rating_average"], other["rating_count"]) == (2.5, 2)
    by_tag = client.get(GALLERY, params={"tag": "print"}, headers=tenant_c.auth).json()["data"]
    assert (by_tag[0]["rating_average"], by_tag[0]["rating_count"]) == (2.5, 2)  # the tag entry follows
    assert _actions(client, tenant_b).count("template.gallery_rated") == 3
    assert "template.gallery_rated" not in _actions(client, tenant_a)


def test_a_tenant_cannot_rate_its_own_listing(client: TestClient, tenant_a: Tenant) -> None:
    listing = _listed(client, tenant_a)
    assert _rate(client, tenant_a, listing["id"], 5).status_code == 409
    assert _rate(client, add_member(tenant_a.id, "member"), listing["id"], 5).status_code == 409
    assert client.get(f"{GALLERY}/{listing['id']}", headers=tenant_a.auth).json()["rating_count"] == 0


def test_import_copies_the_snapshot_and_counts(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    reviewer = add_member(tenant_a.id, "member")
    listing = _listed(client, tenant_a, name="Poster", tags=["print"],
                      default_reviewers=[{"user_id": reviewer.user_id}])
    response = client.post(f"{GALLERY}/{listing['id']}/import", headers=tenant_b.auth)
    assert response.status_code == 201, response.text
    copy = response.json()
    assert response.headers["location"] == f"/v1/templates/{copy['id']}"
    assert (copy["name"], copy["tags"], copy["checklist"], copy["default_reviewers"]) == (
        "Poster", ["print"], ["Bleed is 3 mm"], [])
    assert (copy["latest_version"], copy["published_version"], copy["imported_from"]) == (None, None, listing["id"])
    assert [f["name"] for f in copy["fields"]] == [f["name"] for f in listing["fields"]]
    assert client.get(f"/v1/templates/{copy['id']}", headers=tenant_b.auth).status_code == 200
    assert client.get(f"/v1/templates/{copy['id']}", headers=tenant_a.auth).status_code == 404
    client.post(f"{GALLERY}/{listing['id']}/import", headers=tenant_b.auth)
    own = client.post(f"{GALLERY}/{listing['id']}/import", headers=tenant_a.auth)  # allowed, not counted
    assert own.status_code == 201, own.text
    assert client.get(f"{GALLERY}/{listing['id']}", headers=tenant_b.auth).json()["import_count"] == 2
    assert client.get(GALLERY, params={"tag": "print"}, headers=tenant_b.auth).json()["data"][0]["import_count"] == 2
    assert "template.gallery_imported" in _actions(client, tenant_b)


def test_unpublish_hides_the_listing_and_republish_keeps_its_ratings(client: TestClient, tenant_a: Tenant,
                                                                     tenant_b: Tenant) -> None:
    listing = _listed(client, tenant_a, tags=["print"])
    _rate(client, tenant_b, listing["id"], 4)
    path = f"/v1/templates/{listing['template_id']}/gallery"
    assert client.delete(f"/v1/templates/{listing['template_id']}", headers=tenant_a.auth).status_code == 409
    assert client.delete(path, headers=tenant_b.auth).status_code == 404  # another tenant: not its template
    assert client.get(f"{GALLERY}/{listing['id']}", headers=tenant_b.auth).status_code == 200
    assert client.delete(path, headers=tenant_a.auth).status_code == 204
    assert client.delete(path, headers=tenant_a.auth).status_code == 404
    for params in ({}, {"tag": "print"}):
        assert client.get(GALLERY, params=params, headers=tenant_b.auth).json()["data"] == []
    assert client.get(f"{GALLERY}/{listing['id']}", headers=tenant_b.auth).status_code == 404
    assert _rate(client, tenant_b, listing["id"], 5).status_code == 404
    assert client.post(f"{GALLERY}/{listing['id']}/import", headers=tenant_b.auth).status_code == 404
    assert client.get(f"/v1/templates/{listing['template_id']}", headers=tenant_a.auth).json()[
        "gallery_listing_id"] is None
    again = client.post(path, json={}, headers=tenant_a.auth).json()
    assert (again["id"], again["rating_count"], again["rating_average"]) == (listing["id"], 1, 4)
    assert "template.gallery_unpublished" in _actions(client, tenant_a)


def test_republishing_replaces_the_listed_version(client: TestClient, tenant_a: Tenant) -> None:
    listing = _listed(client, tenant_a, name="Old", tags=["print"])
    template_path = f"/v1/templates/{listing['template_id']}"
    etag = client.get(template_path, headers=tenant_a.auth).headers["etag"]
    client.patch(template_path, json={"name": "New", "tags": ["web"]}, headers=tenant_a.auth | {"If-Match": etag})
    client.post(f"{template_path}/versions", headers=tenant_a.auth)
    again = client.post(f"{template_path}/gallery", json={"version": 2}, headers=tenant_a.auth).json()
    assert (again["id"], again["name"], again["template_version"]) == (listing["id"], "New", 2)
    assert client.get(GALLERY, params={"tag": "print"}, headers=tenant_a.auth).json()["data"] == []
    assert [i["name"] for i in client.get(GALLERY, params={"tag": "web"}, headers=tenant_a.auth).json()["data"]] == [
        "New"]


@pytest.mark.parametrize("listing_id", ["gal_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "nope", "tpl_01JDQ3Z8M4W6N0B2C4E6G8J0K2"])
def test_unknown_listings_are_404(client: TestClient, tenant_a: Tenant, listing_id: str) -> None:
    assert client.get(f"{GALLERY}/{listing_id}", headers=tenant_a.auth).status_code == 404
    assert _rate(client, tenant_a, listing_id, 3).status_code == 404
    assert client.post(f"{GALLERY}/{listing_id}/import", headers=tenant_a.auth).status_code == 404


def test_viewers_read_the_gallery_but_do_not_rate_or_import(client: TestClient, tenant_a: Tenant,
                                                            tenant_b: Tenant) -> None:
    listing = _listed(client, tenant_a)
    viewer = add_member(tenant_b.id, "viewer")
    assert client.get(f"{GALLERY}/{listing['id']}", headers=viewer.auth).status_code == 200
    assert _rate(client, viewer, listing["id"], 3).status_code == 403
    assert client.post(f"{GALLERY}/{listing['id']}/import", headers=viewer.auth).status_code == 403
