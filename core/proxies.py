"""Who is on the other end of the connection: X-Forwarded-* is believed only from a proxy that
the deployment names in `TRUSTED_PROXIES`, never from whoever happens to send the header.

Hand-written rather than django-ipware: ipware reads the client from the header's contents
(matching `proxy_list` against the chain's tail, in order) and never asks whether the
connecting peer is a proxy at all, so a client that reaches the app directly could still
choose its address. Here the peer must be trusted before any header is read, and the chain is
walked from the right, skipping trusted hops: the first untrusted hop is the client (the same
rule as uvicorn's `--forwarded-allow-ips` and nginx's `real_ip_recursive`).
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# What a client could forge to claim another address, scheme or host.
FORWARDING_HEADERS = [
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
]


@cache
def _trusted(entries: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc


def trusted_networks() -> tuple:
    return _trusted(tuple(settings.TRUSTED_PROXIES))


def _address(text: str):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _is_trusted(address, networks) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_address(peer: str, forwarded_for: str, networks) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy, in which case the
    right-most hop of X-Forwarded-For that is not itself a trusted proxy."""
    current = _address(peer)
    if current is None or not _is_trusted(current, networks):
        return peer
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            break  # garbage: nothing further left can be believed
        if not _is_trusted(address, networks):
            return str(address)
        current = address
    return str(current)


class TrustedProxyMiddleware:
    """First of all middleware: sets REMOTE_ADDR to the real client and removes forwarding
    headers that do not come from a trusted proxy, so login lockouts, throttles, logs and
    `request.is_secure()` all see the same, unforgeable answer."""

    def __init__(self, get_response):
        self.get_response = get_response
        trusted_networks()  # a malformed TRUSTED_PROXIES stops the start, not a request

    def __call__(self, request):
        meta, networks = request.META, trusted_networks()
        peer = meta.get("REMOTE_ADDR", "")
        peer_address = _address(peer)
        if peer_address is not None and _is_trusted(peer_address, networks):
            meta["REMOTE_ADDR"] = client_address(
                peer, meta.pop("HTTP_X_FORWARDED_FOR", ""), networks
            )
        else:
            for header in FORWARDING_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


def client_ip(request) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the address TrustedProxyMiddleware settled on."""
    return request.META.get("REMOTE_ADDR")
