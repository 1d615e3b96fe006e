"""Which address a request came from, also behind the city's reverse proxy.

Behind a proxy every request seems to come from the proxy; the client's own address is then
the last one the proxy added to X-Forwarded-For. That header is believed only when the
request comes from a proxy named in PORTAL_TRUSTED_PROXIES: anyone else could write it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from db.config import config

UNKNOWN = "unknown"


def client_address(peer: str | None, forwarded_for: str | None,
                   trusted: Iterable[str] | None = None) -> str:
    """The client's address: `peer`, or from `forwarded_for` when `peer` is a trusted proxy.

    Walking X-Forwarded-For from the right, each trusted proxy is skipped; the first address
    that is not one is the client (those left of it could have been written by the client).
    """
    trusted = config().trusted_proxies if trusted is None else trusted
    networks = [ipaddress.ip_network(t.strip(), strict=False) for t in trusted if t.strip()]
    if not peer:
        return UNKNOWN
    hops = [peer, *reversed([h.strip() for h in (forwarded_for or "").split(",") if h.strip()])]
    for hop in hops:
        address = _address(hop)
        if address is None:
            return UNKNOWN
        if not any(address in network for network in networks):
            return str(address)
    return str(_address(hops[-1]))


def trusted(peer: str | None) -> bool:
    """Whether `peer` is one of the configured reverse proxies."""
    address = _address(peer or "")
    return address is not None and any(
        address in ipaddress.ip_network(t.strip(), strict=False)
        for t in config().trusted_proxies)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None
