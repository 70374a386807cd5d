"""The client's address: the connecting peer, unless that peer is a proxy the deployment
trusts; then the right-most X-Forwarded-For hop that is not a trusted proxy itself."""

import ipaddress

import pytest

from core.proxies import client_address

PROXIES = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("fd00::/8"))


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        ("192.0.2.7", "203.0.113.1", "192.0.2.7"),  # not a proxy: the header is ignored
        ("10.0.0.2", "203.0.113.1", "203.0.113.1"),
        ("10.0.0.2", "198.51.100.66, 203.0.113.1", "203.0.113.1"),  # typed left part ignored
        ("10.0.0.2", "203.0.113.1, 10.0.0.9", "203.0.113.1"),  # proxies in a chain skipped
        ("10.0.0.2", "", "10.0.0.2"),
        ("10.0.0.2", "not-an-address", "10.0.0.2"),
        ("10.0.0.2", "203.0.113.1, junk", "10.0.0.2"),  # nothing left of junk is believed
        ("::ffff:10.0.0.2", "203.0.113.1", "203.0.113.1"),  # IPv4-mapped peer
        ("fd00::1", "2001:db8::5", "2001:db8::5"),
        ("fd00::1", "10.0.0.3", "10.0.0.3"),  # every hop trusted: the first proxy
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(peer, forwarded_for, client):
    assert client_address(peer, forwarded_for, PROXIES) == client


def test_no_trusted_proxy_means_the_peer_always(settings):
    assert client_address("10.0.0.2", "203.0.113.1", ()) == "10.0.0.2"
