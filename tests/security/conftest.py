"""The security tests drive the same local API as the API tests, with the same tenants."""

from tests.api.conftest import client, tenant_a, tenant_b, worker  # noqa: F401 (fixtures for these tests)
from tests.support.webhook_receiver import receiver  # noqa: F401 (a fixture for these tests)
