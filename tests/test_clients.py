"""The client's address: the peer's, or from X-Forwarded-For only through a trusted proxy."""

from portal.clients import UNKNOWN, Origin, origin


def client_address(peer, forwarded_for, trusted):
    """The address alone, as the status lookup's throttle and the logs take it."""
    return origin(peer, {"X-Forwarded-For": forwarded_for} if forwarded_for else {},
                  trusted=trusted).address


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


def test_a_proxy_on_the_same_host_seen_through_a_dual_stack_socket_is_trusted():
    # Listening on :: (both families), the proxy at 127.0.0.1 arrives as ::ffff:127.0.0.1.
    assert client_address("::ffff:127.0.0.1", "203.0.113.7", ["127.0.0.1"]) == "203.0.113.7"
    assert client_address("::ffff:10.0.0.5", "203.0.113.7", PROXY) == "203.0.113.7"
    # A client is logged as the IPv4 address it is, however the socket wrote it.
    assert client_address("::ffff:203.0.113.7", None, []) == "203.0.113.7"
    assert client_address("::ffff:203.0.113.7", "1.2.3.4", ["127.0.0.1"]) == "203.0.113.7"


def test_https_is_believed_from_a_trusted_proxy_only():
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    assert origin("::ffff:127.0.0.1", https, trusted=["127.0.0.1"]) == Origin("203.0.113.7", True)
    assert origin("127.0.0.1", https, trusted=[]) == Origin("127.0.0.1", False)
    assert origin("198.51.100.1", https, trusted=["127.0.0.1"]).https is False
    assert origin("198.51.100.1", {}, scheme="https", trusted=[]).https is True
    assert origin("[::1]", https, trusted=["::1"]) == Origin("203.0.113.7", True)
