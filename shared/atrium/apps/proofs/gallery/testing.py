"""Sample gallery templates, for the tests (``atrium.kernel.testing``)."""

from fastapi.testclient import TestClient

from atrium.apps.proofs.templates.testing import a_template
from atrium.kernel.testing import IdFactory, Owner


def _an_unlisted_gallery_template(client: TestClient, owner: Owner) -> str:
    """A gallery template its publisher took out of the gallery. A listed one is public by design (every tenant
    may read, rate and import it: tests/api/test_template_gallery.py), so the matrices get one no tenant reaches."""
    template_id = a_template(client, owner)
    listing = client.post(f"/v1/templates/{template_id}/gallery", json={}, headers=owner.auth)
    assert listing.status_code == 200, listing.text
    assert client.delete(f"/v1/templates/{template_id}/gallery", headers=owner.auth).status_code == 204
    return str(listing.json()["id"])


PATH_IDS: dict[str, IdFactory] = {"listing_id": _an_unlisted_gallery_template}
