"""The client's address: the peer's, or from X-Forwarded-For only through a trusted proxy."""

from portal.clients import UNKNOWN, client_address

PROXY = ["10.0.0.5", "10.1.0.0/16"]


def test_a_direct_client_is_its_peer_whatever_it_writes_in_the_header():
    assert client_address("203.0.113.7", "1.2.3.4", PROXY) == "203.0.113.7"
    assert client_address("203.0.113.7", None, []) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_client_is_the_last_hop_it_added():
    assert client_address("10.0.0.5", "203.0.113.7", PROXY) == "203.0.113.7"
    # A client that writes its own header cannot hide behind a made-up address.
    assert client_address("10.0.0.5", "1.2.3.4, 203.0.113.7", PROXY) == "203.0.113.7"
    # Two proxies of the city in a row are both skipped.
    assert client_address("10.0.0.5", "203.0.113.7, 10.1.2.3", PROXY) == "203.0.113.7"


def test_an_untrusted_proxy_is_the_client_and_nonsense_is_unknown():
    assert client_address("10.9.9.9", "203.0.113.7", PROXY) == "10.9.9.9"
    assert client_address("10.0.0.5", "not-an-address", PROXY) == UNKNOWN
    assert client_address(None, "203.0.113.7", PROXY) == UNKNOWN
