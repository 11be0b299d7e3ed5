"""The one outbound HTTP client: what it refuses (SSRF), what it reports, what it caps.

A small aiohttp server plays the outside world; it is reached under the farm's domain,
which the policy maps to loopback only when the farm is allowed. Names that resolve to
private addresses are simulated by answering getaddrinfo, as a hostile DNS would.
"""

import asyncio
import gzip
import socket
import threading

import pytest
from aiohttp import web

from ambassade.lib.http import FetchError, Policy, fetch, fetch_one, make_session


class World:
    """An HTTP server on loopback, reached as <anything>.farm.localhost:<port>."""

    def __init__(self):
        self.requests: list[str] = []
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self.handle)
        self._loop = asyncio.new_event_loop()
        self._runner = web.AppRunner(app)
        self._ready = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()
        self._ready.wait(10)

    def _run(self):
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def url(self, path: str, host: str = "blog.farm.localhost") -> str:
        return f"http://{host}:{self.port}{path}"

    async def handle(self, request: web.Request):
        self.requests.append(f"{request.host}{request.path_qs}")
        path = request.path
        if path == "/to-loopback":
            raise web.HTTPFound(f"http://127.0.0.1:{self.port}/secret")
        if path == "/to-private-name":
            raise web.HTTPFound("http://intranet.example/admin")
        if path == "/moved":
            raise web.HTTPMovedPermanently(self.url("/feed.xml"))
        if path == "/temporarily":
            raise web.HTTPFound(self.url("/feed.xml"))
        if path == "/feed.xml":
            return web.Response(body="<rss><channel><title>Élodie</title></channel></rss>".encode("iso-8859-1"),
                                headers={"ETag": '"v1"', "Content-Type": "application/rss+xml; charset=ISO-8859-1"})
        if path == "/big":
            return web.Response(body=b"x" * 300_000, content_type="text/plain")
        if path == "/bomb":
            return web.Response(body=gzip.compress(b"\0" * 5_000_000),
                                headers={"Content-Encoding": "gzip", "Content-Type": "text/plain"})
        if path == "/small-gzip":
            return web.Response(body=gzip.compress("Bonjour, chère lectrice".encode()),
                                headers={"Content-Encoding": "gzip", "Content-Type": "text/plain; charset=utf-8"})
        if path == "/conditional":
            if request.headers.get("If-None-Match") == '"v1"':
                return web.Response(status=304, headers={"ETag": '"v1"'})
            return web.Response(text="corps", headers={"ETag": '"v1"'})
        if path == "/secret":
            return web.Response(text="secret")
        raise web.HTTPNotFound()

    def stop(self):
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)


@pytest.fixture(scope="module")
def world():
    running = World()
    yield running
    running.stop()


def policy(**overrides) -> Policy:
    return Policy(**{"farm_allowed": True, "farm_domain": "farm.localhost", "farm_address": "127.0.0.1",
                     "max_bytes": 100_000, "timeout": 5, **overrides})


@pytest.fixture
def hostile_dns(monkeypatch):
    """intranet.example and rebind.example resolve to private addresses; nothing else resolves."""
    answers = {"intranet.example": "192.168.1.10", "rebind.example": "127.0.0.1", "metadata.example": "169.254.169.254"}

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port or 80))]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/", "http://10.1.2.3/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/",
    "http://localhost/", "http://admin.localhost/", "file:///etc/passwd", "ftp://example.org/",
])
def test_it_refuses_private_and_local_targets_before_any_traffic(url):
    with pytest.raises(FetchError) as error:
        fetch_one(url, policy())
    assert error.value.kind == "forbidden"


@pytest.mark.parametrize("host", ["intranet.example", "rebind.example", "metadata.example"])
def test_it_refuses_a_name_that_resolves_to_a_private_address(hostile_dns, host):
    with pytest.raises(FetchError) as error:
        fetch_one(f"http://{host}/feed", policy())
    assert error.value.kind == "forbidden"
    assert host in str(error.value)


def test_the_farm_is_reachable_only_when_explicitly_allowed(world):
    assert fetch_one(world.url("/secret"), policy()).body == b"secret"
    with pytest.raises(FetchError) as error:
        fetch_one(world.url("/secret"), policy(farm_allowed=False))
    assert error.value.kind == "forbidden"


def test_a_redirect_to_a_private_target_is_refused_hop_by_hop(world, hostile_dns):
    before = len(world.requests)
    for path in ("/to-loopback", "/to-private-name"):
        with pytest.raises(FetchError) as error:
            fetch_one(world.url(path), policy())
        assert error.value.kind == "forbidden"
    assert not any(r.endswith("/secret") for r in world.requests[before:])


def test_permanent_redirects_are_reported_and_temporary_ones_are_not(world):
    moved = fetch_one(world.url("/moved"), policy())
    assert moved.status == 200 and moved.permanent_url == world.url("/feed.xml")
    temporary = fetch_one(world.url("/temporarily"), policy())
    assert temporary.status == 200 and temporary.permanent_url is None


def test_it_reports_validators_and_the_declared_charset(world):
    result = fetch_one(world.url("/feed.xml"), policy())
    assert result.etag == '"v1"'
    assert result.charset == "iso-8859-1"
    assert result.content_type == "application/rss+xml"
    assert "Élodie".encode("iso-8859-1") in result.body


def test_a_conditional_request_gets_its_304(world):
    async def run():
        p = policy()
        async with make_session(p) as session:
            return await fetch(session, world.url("/conditional"), p, etag='"v1"')

    result = asyncio.run(run())
    assert result.not_modified and result.etag == '"v1"' and result.body == b""


def test_bodies_are_capped_before_and_after_decompression(world):
    with pytest.raises(FetchError) as error:
        fetch_one(world.url("/big"), policy())
    assert error.value.kind == "too_large"
    with pytest.raises(FetchError) as error:
        fetch_one(world.url("/bomb"), policy())  # 5 KB on the wire, 5 MB once inflated
    assert error.value.kind == "too_large"
    assert fetch_one(world.url("/small-gzip"), policy()).body.decode() == "Bonjour, chère lectrice"


def test_an_unknown_name_is_a_connection_error_not_a_crash(hostile_dns):
    with pytest.raises(FetchError) as error:
        fetch_one("http://nowhere.example/feed", policy())
    assert error.value.kind == "connection"


def test_a_name_the_dns_never_answers_times_out(monkeypatch):
    import time

    def getaddrinfo(host, port, *args, **kwargs):
        time.sleep(3)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    started = time.monotonic()
    with pytest.raises(FetchError) as error:
        fetch_one("http://slow-dns.example/feed", policy(timeout=0.5))
    assert error.value.kind == "timeout" and time.monotonic() - started < 2.5


def test_a_certificate_nobody_vouches_for_is_refused(tmp_path):
    """HTTPS is verified: a self-signed certificate (what a man in the middle presents) fails the fetch."""
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make the self-signed certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", str(key),
                    "-out", str(cert), "-subj", "/CN=secure.farm.localhost",
                    "-addext", "subjectAltName=DNS:secure.farm.localhost"], check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    app = web.Application()
    async def secret(request):
        return web.Response(text="secret")

    app.router.add_get("/", secret)
    loop, runner, ready = asyncio.new_event_loop(), web.AppRunner(app), threading.Event()
    port = []

    def serve():
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
        loop.run_until_complete(site.start())
        port.append(site._server.sockets[0].getsockname()[1])
        ready.set()
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
    ready.wait(10)
    try:
        with pytest.raises(FetchError) as error:
            fetch_one(f"https://secure.farm.localhost:{port[0]}/", policy())
        assert error.value.kind == "tls"
        assert "certificat" in str(error.value)
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
