"""The local stack lets webhooks reach this machine, and says so."""

from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from atrium.kernel.config import Settings, settings
from atrium.webhooks import ssrf
from atrium_local import environment


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("ATRIUM_WEBHOOK_ALLOW_HTTP", "ATRIUM_WEBHOOK_ALLOWED_NETWORKS"):
        monkeypatch.setenv(name, "")  # recorded, so undo also removes what allow_local_webhooks sets
        monkeypatch.delenv(name)
    settings.cache_clear()
    yield
    monkeypatch.undo()
    settings.cache_clear()


@pytest.mark.usefixtures("fresh_settings")
def test_by_default_webhooks_are_https_only_and_reach_no_private_network() -> None:
    assert settings().webhook_allow_http is False and ssrf.allowed_networks() == []


@pytest.mark.usefixtures("fresh_settings")
def test_the_local_stack_allows_http_and_loopback_and_says_so() -> None:
    line = environment.allow_local_webhooks()
    assert line == ("http and https; private networks allowed: 127.0.0.0/8,::1/128 "
                    "(ATRIUM_WEBHOOK_ALLOWED_NETWORKS)")
    assert settings().webhook_allow_http is True
    assert [str(a) for a in ssrf.check_destination("http://127.0.0.1:9000/in")] == ["127.0.0.1"]


@pytest.mark.usefixtures("fresh_settings")
def test_the_environment_overrides_the_local_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATRIUM_WEBHOOK_ALLOWED_NETWORKS", "")
    assert environment.allow_local_webhooks().endswith("private networks allowed: none "
                                                       "(ATRIUM_WEBHOOK_ALLOWED_NETWORKS)")


def test_a_mistyped_allowed_network_fails_at_start_up() -> None:
    with pytest.raises(ValidationError, match="webhook_allowed_networks"):
        Settings(webhook_allowed_networks="127.0.0.0/8,10.0.0.0/33")
