"""Where a webhook may be sent: public addresses only, checked when a subscription is saved and
again at every delivery, and the delivery connects to the exact address that was checked.

A name is resolved once per check and every address it resolves to must be public, so a name
that also points inside the network is refused, and a name that changes its answer between the
check and the connection (DNS rebinding) cannot redirect the POST: the caller connects to
`Destination.addresses`, never to the name again. Numeric hosts in any form the C resolver
accepts (`2130706433`, `0177.0.0.1`, `0x7f.1`, `[::ffff:127.0.0.1]`) are resolved the same way
and judged by the address they really are. WEBHOOK_ALLOWED_NETWORKS lets a deployment reach
receivers on its own network.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from core.errors import DomainError

NAT64 = ipaddress.ip_network("64:ff9b::/96")
SCHEMES = {"http": 80, "https": 443}


class DestinationRefused(DomainError):
    code = "destination_refused"


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str  # as typed, for the Host header and TLS; the connection goes to `addresses`
    port: int
    target: str  # path and query
    addresses: tuple[str, ...]


def _refuse(url: str, reason: str):
    return DestinationRefused(
        f"Webhooks cannot be sent to {url}: {reason}", fields={"url": [reason]}
    )


def _embedded(address) -> list:
    """IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo, NAT64): each must pass."""
    if address.version == 4:
        return []
    found = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    if address in NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [a for a in found if a is not None]


def _allowed(address) -> bool:
    networks = [ipaddress.ip_network(n, strict=False) for n in settings.WEBHOOK_ALLOWED_NETWORKS]
    return any(address.version == n.version and address in n for n in networks)


def refusal(address) -> str | None:
    """Why `address` may not receive webhooks, or None when it may."""
    address = address.ipv4_mapped or address if address.version == 6 else address
    if _allowed(address):
        return None
    for candidate in [address, *_embedded(address)]:
        for kind in ["unspecified", "loopback", "link_local", "multicast", "private", "reserved"]:
            if getattr(candidate, f"is_{kind}"):
                article = "an" if kind == "unspecified" else "a"
                return f"{candidate} is {article} {kind.replace('_', '-')} address."
        if not candidate.is_global:
            return f"{candidate} is not a public address."
    return None


def _resolve(url: str, host: str, port: int) -> tuple[str, ...]:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise _refuse(url, f"the host {host!r} does not resolve.") from exc
    addresses = list(dict.fromkeys(answer[4][0] for answer in answers))
    for text in addresses:
        reason = refusal(ipaddress.ip_address(text.split("%")[0]))
        if reason:
            # A name's address is not shown: it would map the internal network for the caller.
            shown = reason if _is_literal(host) else "it resolves to an address that is not public."
            raise _refuse(url, shown)
    return tuple(addresses)


def _is_literal(host: str) -> bool:
    """An address typed as numbers, in any form the resolver reads (`0x7f.1` too)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        try:
            socket.inet_aton(host)
        except OSError:
            return False
    return True


def check(url: str) -> Destination:
    """The destination of `url` with the addresses to connect to; DestinationRefused when
    the URL is not http(s), carries credentials, or reaches a non-public address."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise _refuse(url, "it is not a valid URL.") from exc
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in SCHEMES:
        raise _refuse(url, "only http and https URLs are allowed.")
    if not host:
        raise _refuse(url, "it has no host.")
    if parts.username is not None or parts.password is not None:
        raise _refuse(url, "credentials in the URL are not allowed; the signature authenticates.")
    port = port or SCHEMES[scheme]
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(scheme, host, port, target, _resolve(url, host, port))
