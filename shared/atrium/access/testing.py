"""Sample roles and API tokens, for the tests (``atrium.kernel.testing``)."""

from atrium.kernel.testing import IdFactory, created

PATH_IDS: dict[str, IdFactory] = {
    "role_name": created("name", "/v1/roles", {"name": "matrix-role", "permissions": ["tenant:read"]}),
    "token_id": created("id", "/v1/api-tokens", {"name": "matrix", "scopes": ["tenant:read"]}),
}
