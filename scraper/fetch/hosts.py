"""Which network addresses a fetch may reach: every numeric host form read, names resolved,
private, loopback and link-local addresses refused (or, for a journal on loopback, only loopback).

Archived pages name image URLs that anyone could have written, so an image URL must not make
dwarchive reach into the user's own network. `numeric_host` reads a host the way the system
resolver does (`127.0.0.1`, `127.1`, `2130706434`, `0x7f.1`, `0177.0.0.1`, `[::1]`,
`::ffff:127.0.0.1`); other names are resolved and every address they give must be allowed.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

from ..errors import FetchError, OffHost

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], list[IPAddress]]

_IPV4_NUMERIC_CHARS = frozenset("0123456789abcdefxABCDEFX.")


def numeric_host(host: str) -> IPAddress | None:
    """The address a numeric host stands for, in any form a resolver accepts; None for a name."""
    text = host.strip().strip("[]")
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        pass
    if not text or not set(text) <= _IPV4_NUMERIC_CHARS or not text[0].isdigit():
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(text))  # '2130706434', '0x7f.1', '127.1'
    except OSError:
        return None


def system_resolver(host: str) -> list[IPAddress]:
    """Every address the system resolver gives for `host`."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def _unmapped(address: IPAddress) -> IPAddress:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_public(address: IPAddress) -> bool:
    """A global unicast address (not private, loopback, link-local, shared, reserved, multicast)."""
    address = _unmapped(address)
    return address.is_global and not address.is_multicast


def is_loopback(address: IPAddress) -> bool:
    return _unmapped(address).is_loopback


class AddressGuard:
    """Refuses hosts whose addresses are not allowed: public only, or loopback only."""

    def __init__(self, *, loopback_only: bool, resolve: Resolver | None = None) -> None:
        self.loopback_only = loopback_only
        self._resolve = resolve or system_resolver
        self._cache: dict[str, list[IPAddress]] = {}

    def addresses(self, host: str) -> list[IPAddress]:
        """The addresses `host` stands for (numeric forms read, names resolved once)."""
        host = host.lower().rstrip(".")
        numeric = numeric_host(host)
        if numeric is not None:
            return [numeric]
        if host == "localhost" or host.endswith(".localhost"):  # RFC 6761: always loopback
            return [ipaddress.IPv4Address("127.0.0.1")]
        if host not in self._cache:
            try:
                self._cache[host] = self._resolve(host)
            except (OSError, UnicodeError) as exc:
                raise FetchError(f"could not resolve {host}: {exc}") from None
        return self._cache[host]

    def check(self, url: str, host: str) -> None:
        """OffHost when `host` (of `url`) has an address this guard does not allow."""
        addresses = self.addresses(host)
        if not addresses:
            raise FetchError(f"could not resolve {host}: no address", url=url)
        allowed = is_loopback if self.loopback_only else is_public
        for address in addresses:
            if not allowed(address):
                kind = "not a loopback" if self.loopback_only else "a private or local"
                raise OffHost(
                    f"{url}: {host} is {kind} address ({address}); refused", url=url, target=url
                )
