"""The one outbound HTTP client: every fetch of a user-supplied URL goes through here.

- SSRF: private, loopback, link-local, multicast and reserved addresses are
  refused, at resolution time (so a DNS answer cannot smuggle one in) and for
  IP literals. The blog farm's host names map to its loopback address only when
  the farm is explicitly allowed (demo, tests, benchmarks).
- Redirects are followed by hand: each hop is checked, loops are detected,
  and a permanent redirect is reported so the caller can update its URL.
- Bodies are read in chunks up to a cap on the *decompressed* size, which also
  defuses decompression bombs.
"""

import asyncio
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver
from django.conf import settings

USER_AGENT = "AmbassadeBot/0.1 (veille de blogs pour des operations blogueurs; +https://github.com/ambassade)"
PERMANENT = {301, 308}
REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A fetch that produced no usable response. `kind` is stable, for storage and tests."""

    def __init__(self, kind: str, message: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.kind, self.status, self.retry_after = kind, status, retry_after


@dataclass
class FetchResult:
    url: str  # after redirects
    status: int
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    charset: str | None = None
    content_type: str = ""
    permanent_url: str | None = None  # set when a permanent redirect moved the resource
    elapsed: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class Policy:
    farm_allowed: bool = field(default_factory=lambda: settings.FARM_ALLOWED)
    farm_domain: str = field(default_factory=lambda: settings.FARM_DOMAIN)
    farm_address: str = field(default_factory=lambda: settings.FARM_HOST)
    max_bytes: int = field(default_factory=lambda: settings.WATCH_MAX_BYTES)
    timeout: float = field(default_factory=lambda: settings.WATCH_TIMEOUT)
    max_redirects: int = 5

    def is_farm(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return self.farm_allowed and (host == self.farm_domain or host.endswith("." + self.farm_domain))


def forbidden_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check_url(url: str, policy: Policy) -> None:
    """Refuse what can be refused before any network traffic."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError("forbidden", f"protocole refusé : {parts.scheme or '(aucun)'}")
    host = (parts.hostname or "").lower()
    if not host:
        raise FetchError("forbidden", "adresse sans nom d'hôte")
    if policy.is_farm(host):
        return
    if host == "localhost" or host.endswith(".localhost"):
        raise FetchError("forbidden", f"hôte local refusé : {host}")
    try:
        if forbidden_address(host):
            raise FetchError("forbidden", f"adresse privée ou locale refusée : {host}")
    except ValueError:
        pass  # a name, checked when resolved


class SafeResolver(AbstractResolver):
    def __init__(self, policy: Policy):
        self.policy = policy

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET):
        if self.policy.is_farm(host):
            return [{"hostname": host, "host": self.policy.farm_address, "port": port,
                     "family": socket.AF_INET, "proto": 0, "flags": socket.AI_NUMERICHOST}]
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM, family=family)
        results = []
        for fam, _type, proto, _canon, sockaddr in infos:
            if forbidden_address(sockaddr[0]):
                raise OSError(f"adresse privée ou locale refusée pour {host} : {sockaddr[0]}")
            results.append({"hostname": host, "host": sockaddr[0], "port": port, "family": fam,
                            "proto": proto, "flags": socket.AI_NUMERICHOST})
        return results

    async def close(self) -> None:
        return None


def make_session(policy: Policy, *, limit: int = 100) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(resolver=SafeResolver(policy), limit=limit, limit_per_host=1,
                                     ttl_dns_cache=300, enable_cleanup_closed=True)
    timeout = aiohttp.ClientTimeout(total=policy.timeout, connect=min(5.0, policy.timeout))
    return aiohttp.ClientSession(connector=connector, timeout=timeout, headers={"User-Agent": USER_AGENT},
                                 auto_decompress=True, cookie_jar=aiohttp.DummyCookieJar())


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait, from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (now or time.time()))


async def fetch(session: aiohttp.ClientSession, url: str, policy: Policy, *,
                etag: str | None = None, last_modified: str | None = None) -> FetchResult:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    started = time.monotonic()
    seen = {url}
    permanent = None
    current = url
    all_permanent = True
    for _hop in range(policy.max_redirects + 1):
        check_url(current, policy)
        try:
            async with session.get(current, headers=headers, allow_redirects=False) as response:
                if response.status in REDIRECTS and "Location" in response.headers:
                    target = urljoin(current, response.headers["Location"])
                    all_permanent = all_permanent and response.status in PERMANENT
                    if target in seen:
                        raise FetchError("redirect_loop", f"boucle de redirections vers {target}", status=response.status)
                    seen.add(target)
                    current = target
                    if all_permanent:
                        permanent = target
                    continue
                if response.status in (429, 503):
                    raise FetchError("throttled", f"HTTP {response.status}", status=response.status,
                                     retry_after=parse_retry_after(response.headers.get("Retry-After")))
                if response.status == 304:
                    return FetchResult(current, 304, etag=response.headers.get("ETag", etag),
                                       last_modified=response.headers.get("Last-Modified", last_modified),
                                       permanent_url=permanent, elapsed=time.monotonic() - started)
                if response.status >= 400:
                    raise FetchError("gone" if response.status == 410 else "http", f"HTTP {response.status}",
                                     status=response.status)
                body = await _read_capped(response, policy.max_bytes)
                return FetchResult(
                    current, response.status, body, etag=response.headers.get("ETag"),
                    last_modified=response.headers.get("Last-Modified"), charset=response.charset,
                    content_type=response.content_type or "", permanent_url=permanent,
                    elapsed=time.monotonic() - started,
                )
        except FetchError:
            raise
        except TimeoutError:
            raise FetchError("timeout", f"pas de réponse en {policy.timeout:g} s") from None
        except aiohttp.ClientConnectorError as error:
            kind = "forbidden" if "refusée" in str(error) else "connection"
            raise FetchError(kind, str(error)) from None
        except (aiohttp.ClientError, OSError) as error:
            raise FetchError("connection", f"{type(error).__name__}: {error}") from None
    raise FetchError("redirect_loop", f"plus de {policy.max_redirects} redirections")


async def _read_capped(response: aiohttp.ClientResponse, cap: int) -> bytes:
    declared = response.content_length
    if declared is not None and declared > cap and not response.headers.get("Content-Encoding"):
        raise FetchError("too_large", f"réponse de {declared} octets (limite {cap})", status=response.status)
    chunks, size = [], 0
    try:
        async for chunk in response.content.iter_chunked(65536):
            size += len(chunk)
            if size > cap:
                raise FetchError("too_large", f"plus de {cap} octets une fois décompressée", status=response.status)
            chunks.append(chunk)
    except aiohttp.ClientPayloadError as error:
        raise FetchError("connection", f"réponse illisible : {error}") from None
    return b"".join(chunks)


def fetch_one(url: str, policy: Policy | None = None) -> FetchResult:
    """A single fetch from synchronous code (the analyze command, an article added by hand)."""
    policy = policy or Policy()

    async def run():
        async with make_session(policy) as session:
            return await fetch(session, url, policy)

    return asyncio.run(run())
