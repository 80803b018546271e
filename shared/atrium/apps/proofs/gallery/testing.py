"""Sample gallery templates, for the tests and the bench (``atrium.kernel.testing``): templates another tenant
published to the gallery (so rating and importing one is what a tenant usually does)."""

from fastapi.testclient import TestClient

from atrium.apps.proofs.templates.testing import a_template, library_template
from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Owner, Request, RequestSetup


def _an_unlisted_gallery_template(client: TestClient, owner: Owner) -> str:
    """A gallery template its publisher took out of the gallery. A listed one is public by design (every tenant
    may read, rate and import it: tests/api/test_template_gallery.py), so the matrices get one no tenant reaches."""
    template_id = a_template(client, owner)
    listing = client.post(f"/v1/templates/{template_id}/gallery", json={}, headers=owner.auth)
    assert listing.status_code == 200, listing.text
    assert client.delete(f"/v1/templates/{template_id}/gallery", headers=owner.auth).status_code == 204
    return str(listing.json()["id"])


PATH_IDS: dict[str, IdFactory] = {"listing_id": _an_unlisted_gallery_template}


def _gallery_template(fixture: Fixture) -> str:
    """The path of a gallery template another tenant published."""
    auth = fixture.new_user()[1]
    response = fixture.client.post(f"{library_template(fixture.client, auth)}/gallery", json={}, headers=auth)
    response.raise_for_status()
    return f"/v1/gallery/templates/{response.json()['id']}"


def _in_gallery(fixture: Fixture) -> Request:
    """A template of the fixture's owner, in the gallery."""
    path = library_template(fixture.client, fixture.auth)
    fixture.client.post(f"{path}/gallery", json={}, headers=fixture.auth).raise_for_status()
    return Request(path=f"{path}/gallery")


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "proofs.publish_template_to_gallery": lambda fixture, _: Request(
        path=f"{library_template(fixture.client, fixture.auth)}/gallery", body={}),
    "proofs.unpublish_template_from_gallery": lambda fixture, _: _in_gallery(fixture),
    "proofs.get_gallery_template": lambda fixture, _: Request(path=_gallery_template(fixture)),
    "proofs.rate_gallery_template": lambda fixture, _: Request(path=f"{_gallery_template(fixture)}/rating",
                                                               body={"stars": 4}),
    "proofs.import_gallery_template": lambda fixture, _: Request(path=f"{_gallery_template(fixture)}/import"),
}

AWS_CALL_BUDGETS = {
    "proofs.publish_template_to_gallery": CallBudget(4,
        "The template (GetItem, or BatchGetItem with a named version), the tenant's name through the identity service "
        "(GetItem), the existing listing with its tag entries when republishing (Query), then the transaction."),
    "proofs.unpublish_template_from_gallery": CallBudget(3,
        "The template (consistent GetItem: its listing id), then the listing with its tag entries (consistent Query) "
        "to delete the entries at the versions read, then the transaction."),
    "proofs.rate_gallery_template": CallBudget(3,
        "The listing with its tag entries (consistent Query) and the tenant's previous rating (consistent GetItem: the"
        " aggregate moves by the difference), then the transaction; a concurrent change is retried on fresh reads."),
    "proofs.import_gallery_template": CallBudget(2,
        "The listing with its tag entries (consistent Query: the import count is on both) before the transaction that "
        "creates the template and counts the import."),
    "proofs.import_gallery_template + Idempotency-Key": CallBudget(4,
        "As proofs.import_gallery_template, plus the idempotency record claimed (PutItem) before and completed "
        "(PutItem) after, so a retry replays the stored response."),
}
