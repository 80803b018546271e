"""The SSRF guard: a webhook goes only to public addresses.

``check_destination`` resolves the URL's host and refuses it when ANY address it resolves to is not public
(DNS may answer differently per query, so the connection must then be made to one of the returned
addresses, never to the name again). The stdlib's ``ipaddress`` properties decide, with explicit networks
where they are too coarse to name the reason, and IPv6 forms that carry an IPv4 address (mapped, NAT64,
6to4, Teredo) are judged by that address. ``ATRIUM_WEBHOOK_ALLOWED_NETWORKS`` lets chosen networks through
(the local stack allows loopback); in AWS nothing private is allowed unless configured.

A host written as a number in a form other than dotted-quad (``2130706433``, ``0177.0.0.1``, ``0x7f.1``,
``127.1``) is refused outright: the resolver would read it as an address, and no real endpoint needs it.

A refusal's message is shown to whoever configures the endpoint (attempts, ``last_error``), so for a host
*name* it says only that the destination is not allowed: what the platform's DNS answered (a private address,
or nothing) would map the network behind it. ``detail`` keeps the whole story, for the logs.
"""

import ipaddress
import re
import socket
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from atrium.kernel.config import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., Sequence[tuple[Any, ...]]]

# Named before the generic properties, so a refusal says which rule matched.
_NAMED: list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str]] = [
    (ipaddress.ip_network("169.254.169.254/32"), "cloud metadata service"),
    (ipaddress.ip_network("fd00:ec2::254/128"), "cloud metadata service"),
    (ipaddress.ip_network("100.64.0.0/10"), "carrier-grade NAT (shared address space)"),
    (ipaddress.ip_network("fc00::/7"), "unique local"),
]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Labels made only of digits or 0x-hex: what inet_aton reads as a number.
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)


class BlockedDestination(ValueError):
    """The destination is not a public address (or not a usable URL). ``str()`` is safe to show the endpoint's
    configurer; ``detail`` may name what a host resolved to, and is only logged."""

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail or message


def host_of(url: str) -> str:
    try:
        host = urlsplit(url).hostname
    except ValueError as error:
        raise BlockedDestination(f"not a URL: {error}") from None
    if not host:
        raise BlockedDestination("the URL has no host")
    return host


def literal_address(host: str) -> IPAddress | None:
    """The address ``host`` spells, if it is an IP literal; refuses numeric forms other than dotted-quad."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if all(_NUMERIC_LABEL.match(label) for label in host.rstrip(".").split(".")):
        raise BlockedDestination(f"{host} is an IP address in a non-standard form; write it as dotted-quad")
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    return address.teredo[1] if address.teredo is not None else None


def refusal(address: IPAddress) -> str | None:
    """Why a connection to ``address`` is refused, or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address) and (embedded := _embedded_ipv4(address)) is not None:
        reason = refusal(embedded)
        return f"embeds {embedded}: {reason}" if reason else None
    for network, reason in _NAMED:
        if address in network:
            return reason
    for flag in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(address, f"is_{flag}"):
            return flag.replace("_", "-")
    return None if address.is_global else "not globally routable"


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    configured = settings().webhook_allowed_networks
    return [ipaddress.ip_network(cidr.strip(), strict=False) for cidr in configured.split(",") if cidr.strip()]


def _refused(address: IPAddress) -> str | None:
    """Why ``address`` is refused here (allowed networks let it through), or None."""
    reason = refusal(address)
    return None if reason is None or any(address in network for network in allowed_networks()) else reason


def check_address(address: IPAddress) -> None:
    """For an address written in the URL itself: the refusal may say why, it reveals nothing new."""
    if reason := _refused(address):
        raise BlockedDestination(f"{address} is not a public address ({reason})")


def _not_allowed(host: str, detail: str) -> BlockedDestination:
    return BlockedDestination(f"{host} is not an allowed destination (it must resolve to public addresses only)",
                              detail=f"{host} {detail}")


def check_destination(url: str, *, resolve: Resolver = socket.getaddrinfo) -> list[IPAddress]:
    """The addresses to connect to for ``url``; raises ``BlockedDestination`` if any of them is refused."""
    return check_host(host_of(url), resolve=resolve)


def check_host(host: str, *, resolve: Resolver = socket.getaddrinfo) -> list[IPAddress]:
    """The addresses to connect to for ``host``; raises ``BlockedDestination`` if any of them is refused."""
    literal = literal_address(host)
    if literal is not None:
        check_address(literal)
        return [literal]
    try:
        answers = resolve(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise _not_allowed(host, f"does not resolve: {error}") from None
    addresses = list(dict.fromkeys(ipaddress.ip_address(str(answer[4][0]).split("%", 1)[0]) for answer in answers))
    if not addresses:
        raise _not_allowed(host, "does not resolve")
    for address in addresses:
        if reason := _refused(address):
            raise _not_allowed(host, f"resolves to {address}, which is not a public address ({reason})")
    return addresses
