"""The SSRF guard refuses every non-public destination, however it is written."""

import ipaddress
import re
import socket
from typing import Any

import pytest

from atrium.kernel.config import settings
from atrium.webhooks.ssrf import BlockedDestination, check_destination


def resolving_to(*addresses: str) -> Any:
    def resolve(host: str, port: object, **_: object) -> list[tuple[Any, ...]]:
        family = socket.AF_INET6 if ":" in addresses[0] else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, 0)) for address in addresses]

    return resolve


def no_dns(host: str, port: object, **_: object) -> list[tuple[Any, ...]]:
    raise AssertionError(f"an IP literal must not be resolved ({host})")


# One address per refused range, with the reason the refusal names.
BLOCKED = [
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
    ("127.0.0.1", "loopback"), ("127.255.255.254", "loopback"), ("::1", "loopback"),
    ("169.254.10.10", "link-local"), ("fe80::1", "link-local"),
    ("100.64.0.1", "carrier-grade NAT"), ("100.127.255.254", "carrier-grade NAT"),
    ("fc00::1", "unique local"), ("fd12:3456::1", "unique local"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("240.0.0.1", "reserved"), ("255.255.255.255", "reserved"),
    ("192.0.2.1", "private"), ("198.18.0.1", "private"), ("2001:db8::1", "private"),
    ("169.254.169.254", "cloud metadata"), ("fd00:ec2::254", "cloud metadata"),
    ("64:ff9b::a9fe:a9fe", "embeds 169.254.169.254"), ("64:ff9b::7f00:1", "embeds 127.0.0.1"),
    ("::ffff:127.0.0.1", "embeds 127.0.0.1"), ("::ffff:10.0.0.1", "embeds 10.0.0.1"),
    ("::127.0.0.1", "reserved"),  # IPv4-compatible (deprecated): all of ::/96 is refused
    ("2002:7f00:1::1", "embeds 127.0.0.1"), ("2002:a9fe:a9fe::", "embeds 169.254.169.254"),
]
PUBLIC = ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808",
          "2002:808:808::1"]


@pytest.mark.parametrize(("address", "reason"), BLOCKED)
def test_a_host_resolving_to_a_refused_address_is_blocked(address: str, reason: str) -> None:
    """The message says only that the name is not allowed; the address and the reason are for the logs."""
    not_allowed = re.escape("hooks.example.com is not an allowed destination")
    with pytest.raises(BlockedDestination, match=not_allowed) as refused:
        check_destination("https://hooks.example.com/in", resolve=resolving_to(address))
    spelled = str(ipaddress.ip_address(address))
    assert spelled not in str(refused.value) and reason not in str(refused.value)
    assert spelled in refused.value.detail and reason in refused.value.detail


@pytest.mark.parametrize(("address", "reason"), BLOCKED)
def test_a_refused_address_written_as_a_literal_is_blocked(address: str, reason: str) -> None:
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(BlockedDestination, match=re.escape(reason)):
        check_destination(f"https://{host}:8443/in", resolve=no_dns)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    found = check_destination("https://hooks.example.com/", resolve=resolving_to(address))
    assert found == [ipaddress.ip_address(address)]


def test_one_refused_address_among_public_ones_blocks_the_host() -> None:
    with pytest.raises(BlockedDestination) as refused:
        check_destination("https://hooks.example.com/", resolve=resolving_to("8.8.8.8", "10.0.0.7"))
    assert "10.0.0.7" in refused.value.detail


@pytest.mark.parametrize("host", ["2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "127.1", "017700000001",
                                  "134744072", "08.8.8.8."])
def test_numbers_that_are_not_dotted_quads_are_refused(host: str) -> None:
    with pytest.raises(BlockedDestination, match="non-standard form"):
        check_destination(f"https://{host}/", resolve=no_dns)


def test_a_scoped_ipv6_answer_is_judged_by_its_address() -> None:
    with pytest.raises(BlockedDestination) as refused:
        check_destination("https://hooks.example.com/", resolve=resolving_to("fe80::1%eth0"))
    assert "link-local" in refused.value.detail


@pytest.mark.parametrize("url", ["https:///in", "not a url", "https://[::1/"])
def test_urls_without_a_usable_host_are_refused(url: str) -> None:
    with pytest.raises(BlockedDestination):
        check_destination(url, resolve=no_dns)


def test_a_host_that_does_not_resolve_is_refused_as_one_resolving_privately_is() -> None:
    """Telling the two apart would let a tenant probe which names the platform's DNS knows."""
    def fail(host: str, port: object, **_: object) -> list[tuple[Any, ...]]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(BlockedDestination) as unresolved:
        check_destination("https://hooks.example.com/", resolve=fail)
    with pytest.raises(BlockedDestination) as private:
        check_destination("https://hooks.example.com/", resolve=resolving_to("10.0.0.7"))
    assert str(unresolved.value) == str(private.value)
    assert "does not resolve" in unresolved.value.detail


def test_the_allow_list_lets_chosen_networks_through(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings(), "webhook_allowed_networks", "127.0.0.0/8, ::1/128")
    assert [str(a) for a in check_destination("http://127.0.0.1:9000/", resolve=no_dns)] == ["127.0.0.1"]
    assert check_destination("http://localhost/", resolve=resolving_to("::1"))
    with pytest.raises(BlockedDestination, match="private"):
        check_destination("http://10.0.0.1/", resolve=no_dns)
    with pytest.raises(BlockedDestination, match="cloud metadata"):
        check_destination("http://169.254.169.254/", resolve=no_dns)


def test_the_real_resolver_is_used_by_default() -> None:
    with pytest.raises(BlockedDestination) as refused:
        check_destination("https://localhost/")
    assert "loopback" in refused.value.detail
