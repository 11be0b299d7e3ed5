"""Hostile URLs (issue 13, rows 1, 2 and 12): whatever the spelling, a loopback or private
address is never reached unless the deployment allowed it by name.

A canary listens on loopback and answers like a web server: the only assertion that
matters is that it never hears from us. Every name "resolves" to a public address, as
a hostile DNS would say: only the URL checks stand between the URL and the canary.
"""

import socket
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambassade.lib.env import parse_fetch_allow
from ambassade.lib.http import FetchError, Policy, fetch_one, parse_target

PUBLIC = "93.184.216.34"


class Canary:
    """A TCP listener on loopback that answers 200 and counts who called."""

    def __init__(self):
        self.hits = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            self.hits += 1
            with connection:
                connection.settimeout(2)
                try:
                    connection.recv(65536)
                    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\ncanary")
                except OSError:
                    pass

    def close(self):
        self._server.close()


@pytest.fixture(scope="module")
def canary():
    listener = Canary()
    yield listener
    listener.close()


@pytest.fixture
def public_dns(monkeypatch):
    """Every name resolves to a public address: the DNS is not what protects us here."""
    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port or 80))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def policy(**overrides) -> Policy:
    return Policy(**{"farm_allowed": False, "max_bytes": 100_000, "timeout": 2,
                     "allow_hosts": frozenset(), "allow_networks": (), "proxy": "", **overrides})


def refused(url: str, **overrides) -> FetchError:
    with pytest.raises(FetchError) as error:
        fetch_one(url, policy(**overrides))
    return error.value


def test_row1_a_backslash_before_the_at_sign_never_reaches_the_address_before_it(canary, public_dns):
    before = canary.hits
    error = refused(f"http://127.0.0.1:{canary.port}\\@someblog.example/p")
    assert error.kind == "forbidden"
    assert canary.hits == before


@pytest.mark.parametrize("host", ["１２７.０.０.１", "127。0。0。1", "127．0．0．1", "127｡0｡0｡1", "１２７。０。０。１"])
def test_row2_full_width_digits_and_ideographic_dots_are_read_as_the_address(canary, public_dns, host):
    before = canary.hits
    error = refused(f"http://{host}:{canary.port}/")
    assert error.kind == "forbidden"
    assert canary.hits == before


def test_the_url_sent_is_rebuilt_from_its_checked_parts():
    assert parse_target("HTTP://Bücher.Example:80/a b\\c?q=é#frag").url == \
        "http://xn--bcher-kva.example/a%20b%5Cc?q=%C3%A9"
    assert parse_target("http://0x7f.1:8080").url == "http://127.0.0.1:8080/"
    for url in ("http://user:pw@blog.example/", "http://[/", "http://bl og.example/", "http:///x"):
        with pytest.raises(FetchError):
            parse_target(url)


# --- the property: every spelling of a loopback or private address is refused -------------

ADDRESSES = st.one_of(
    st.tuples(st.just(127), st.integers(0, 255), st.integers(0, 255), st.integers(1, 254)),
    st.tuples(st.just(10), st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)),
    st.tuples(st.just(192), st.just(168), st.integers(0, 255), st.integers(0, 255)),
    st.tuples(st.just(172), st.integers(16, 31), st.integers(0, 255), st.integers(0, 255)),
    st.tuples(st.just(169), st.just(254), st.integers(0, 255), st.integers(0, 255)),
    st.tuples(st.just(0), st.just(0), st.just(0), st.just(0)),
)
FULL_WIDTH = str.maketrans("0123456789abcdefxABCDEFX.", "０１２３４５６７８９ａｂｃｄｅｆｘＡＢＣＤＥＦＸ．")


def _number(value: int, base: str) -> str:
    return {"dec": str(value), "hex": hex(value), "HEX": "0X" + format(value, "X"), "oct": "0" + format(value, "o")}[base]


@st.composite
def spellings(draw) -> str:
    a, b, c, d = draw(ADDRESSES)
    value = (a << 24) | (b << 16) | (c << 8) | d
    base = st.sampled_from(["dec", "hex", "HEX", "oct"])
    form = draw(st.sampled_from(["dotted", "one", "two", "three", "mapped", "mapped-hex"]))
    if form == "dotted":
        host = ".".join(_number(n, draw(base)) for n in (a, b, c, d))
    elif form == "one":
        host = _number(value, draw(base))
    elif form == "two":
        host = f"{_number(a, draw(base))}.{_number(value & 0xFFFFFF, draw(base))}"
    elif form == "three":
        host = f"{_number(a, draw(base))}.{_number(b, draw(base))}.{_number(value & 0xFFFF, draw(base))}"
    elif form == "mapped":
        return f"[::ffff:{a}.{b}.{c}.{d}]"
    else:
        return f"[0:0:0:0:0:ffff:{value >> 16:x}:{value & 0xFFFF:x}]"
    if draw(st.booleans()):
        host = host.translate(FULL_WIDTH)
    host = host.replace(".", draw(st.sampled_from([".", "。", "．", "｡"])))
    if draw(st.booleans()):
        host += "."
    return host


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(host=spellings(), trick=st.sampled_from(["plain", "backslash", "path"]))
def test_no_spelling_of_a_private_address_reaches_the_canary(canary, public_dns, host, trick):
    before = canary.hits
    url = {
        "plain": f"http://{host}:{canary.port}/",
        "backslash": f"http://{host}:{canary.port}\\@public.example/",
        "path": f"http://{host}:{canary.port}/x?y=1",
    }[trick]
    with pytest.raises(FetchError) as error:
        fetch_one(url, policy())
    assert error.value.kind == "forbidden", url
    assert canary.hits == before, url


# --- the environment's proxy is not used -------------------------------------------------

def test_the_environments_proxy_is_ignored(canary, monkeypatch):
    """A proxy resolves names itself: through it, the pinned address would mean nothing."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{canary.port}")
    before = canary.hits
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.0.2.1", 80))])
    with pytest.raises(FetchError):  # the name pins to a private address: refused, not proxied
        fetch_one("http://blog.example/", policy())
    with pytest.raises(FetchError):  # a public address, nothing listens: no answer, but no proxy either
        fetch_one(f"http://{PUBLIC}:9/", policy(timeout=1))
    assert canary.hits == before


# --- row 12: a self-hosted blog on a private address, allowed by name -----------------------

def test_row12_a_private_blog_is_fetched_only_when_allowed(canary, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 80))])
    url = f"http://wordpress.intranet.example:{canary.port}/feed/"
    assert refused(url).kind == "forbidden"
    hosts, networks = parse_fetch_allow(["wordpress.intranet.example"])
    assert fetch_one(url, policy(allow_hosts=frozenset(hosts))).body == b"canary"
    hosts, networks = parse_fetch_allow([".intranet.example"])
    assert fetch_one(url, policy(allow_hosts=frozenset(hosts))).body == b"canary"
    hosts, networks = parse_fetch_allow(["127.0.0.0/8"])
    assert fetch_one(f"http://127.0.0.1:{canary.port}/", policy(allow_networks=tuple(networks))).status == 200
    # The allow-list opens those addresses, not every private one.
    assert refused(f"http://10.0.0.1:{canary.port}/", allow_networks=tuple(networks)).kind == "forbidden"
    assert refused(f"http://other.example:{canary.port}/", allow_hosts=frozenset({"wordpress.intranet.example"}))


def test_the_allow_list_setting_refuses_what_it_cannot_read():
    from django.core.exceptions import ImproperlyConfigured

    assert parse_fetch_allow(["Blog.Intranet.Example", "10.0.0.0/8", "::1"])[0] == ["blog.intranet.example"]
    with pytest.raises(ImproperlyConfigured):
        parse_fetch_allow(["http://blog.example/"])
