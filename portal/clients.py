"""Who is calling: the client's address and whether it reached us over HTTPS, decided here
for every door (pages, the session cookie's routes, the API).

Behind a proxy every request seems to come from the proxy; the client's own address is then
the last one the proxy added to X-Forwarded-For, and X-Forwarded-Proto says how the browser
reached the proxy. Both headers are believed only when the request comes from a proxy named
in PORTAL_TRUSTED_PROXIES: anyone else could write them. The web server underneath (uvicorn)
would believe them from loopback peers by itself; it is started with WEB_SERVER_ENV, which
tells it to believe nobody's, so that this is the only place that decides.

A server listening on both IPv4 and IPv6 sees an IPv4 peer as `::ffff:127.0.0.1`: addresses
are compared as the IPv4 address they stand for.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from db.config import config

UNKNOWN = "unknown"
# The environment the web server is started with (serving.py; server.py refuses any other).
WEB_SERVER_ENV = {"FORWARDED_ALLOW_IPS": ""}
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Origin:
    address: str  # the client's address as logged and throttled, or UNKNOWN
    https: bool  # the browser reached us over HTTPS: the session cookie is then Secure


def origin(peer: str | None, headers: Mapping[str, str] | None, scheme: str = "http",
           trusted: Iterable[str] | None = None) -> Origin:
    """The client behind `peer` (the connection's other end), as its headers may tell."""
    networks = _networks(config().trusted_proxies if trusted is None else trusted)
    headers = headers or {}
    via_proxy = _trusted(_address(peer), networks)
    proto = (headers.get("X-Forwarded-Proto") or "").rpartition(",")[2].strip().lower()
    return Origin(_client(peer, headers.get("X-Forwarded-For"), networks),
                  scheme == "https" or (via_proxy and proto == "https"))


def _client(peer: str | None, forwarded_for: str | None,
            networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> str:
    """Walking X-Forwarded-For from the right, each trusted proxy is skipped; the first
    address that is not one is the client (those left of it could have been written by the
    client)."""
    if not peer:
        return UNKNOWN
    hops = [peer, *reversed([h.strip() for h in (forwarded_for or "").split(",") if h.strip()])]
    for hop in hops:
        found = _address(hop)
        if found is None:
            return UNKNOWN
        if not _trusted(found, networks):
            return str(found)
    return str(_address(hops[-1]))


def _address(text: str | None) -> Address | None:
    """An address as written by a peer or a proxy ('[::1]' too), IPv4-mapped ones as IPv4."""
    try:
        found = ipaddress.ip_address((text or "").strip().removeprefix("[").removesuffix("]"))
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def _networks(trusted: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(t.strip(), strict=False) for t in trusted if t.strip()]


def _trusted(found: Address | None, networks) -> bool:
    return found is not None and any(found.version == n.version and found in n for n in networks)
