"""Sample tenants of the operator console, for the tests (``atrium.kernel.testing``)."""

from atrium.kernel.testing import IdFactory

PATH_IDS: dict[str, IdFactory] = {"tenant_id": lambda _client, owner: owner.id}
