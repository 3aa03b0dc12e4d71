"""Fetching URLs safely: an address check against internal networks, a size
cap and manual redirects, each hop checked again.

Everything that touches the network is injected: the HTTP client (an
`httpx.Client`; tests give it an `httpx.MockTransport`) and the DNS resolver
(a `Callable[[str], list[str]]`), so tests never reach the network. The web
API reuses `check_url_allowed` for URLs that users submit.

When `fetch_url` makes its own client, that client connects only to
addresses it has just checked (`guarded_transport`), so a DNS server that
answers differently between the check and the connection (DNS rebinding)
cannot steer a fetch inside. An injected client is the caller's to guard, and
behind a proxy (HTTP(S)_PROXY) the proxy connects: the check before each hop
is all that applies there.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

Resolver = Callable[[str], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

USER_AGENT = "newsfuse/0.1 (+https://github.com/newsfuse)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# NAT64 well-known prefix: the last 32 bits are the IPv4 address really reached.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(Exception):
    """A URL could not be fetched (HTTP error, too large, bad redirect...)."""


class UnsafeURLError(FetchError):
    """A URL points at a private, loopback, link-local or otherwise internal
    address, or is not http(s)."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """The body of a fetched URL, at most the size cap."""

    url: str  # the final URL, after redirects
    content: bytes
    content_type: str  # the media type, lower-cased, without parameters
    charset: str | None  # from the Content-Type header, when given


def system_resolve(host: str) -> list[str]:
    """Every address the system resolver gives for `host` (IPv4 and IPv6)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}") from exc
    return sorted({str(info[4][0]) for info in infos})


def _blocked_kind(ip: IPAddress) -> str | None:
    """Why this address must not be fetched, or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        # Addresses that carry an IPv4 address reach that IPv4 host.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return _blocked_kind(embedded)
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        # e.g. 100.64.0.0/10 (carrier-grade NAT): neither private nor global.
        ("non-global", not ip.is_global),
    )
    return next((kind for kind, hit in checks if hit), None)


_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}", re.I)


def _parse_ip(host: str) -> IPAddress | None:
    """An IP literal, including the legacy IPv4 forms ("127.1", "2130706433",
    "0x7f.0.0.1") that the C library accepts when connecting."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def check_url_allowed(url: str, allow_private: bool = False, resolve: Resolver | None = None) -> None:
    """Raise `UnsafeURLError` unless `url` is http(s) and its host resolves
    only to public addresses. Every resolved address is checked: one internal
    address is enough to refuse. With `allow_private`, only the scheme and
    host are checked."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsafeURLError(f"refused {url}: only http and https URLs can be fetched")
    try:
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError as exc:
        raise UnsafeURLError(f"refused {url}: bad host ({exc})") from exc
    if not host:
        raise UnsafeURLError(f"refused {url}: no host")
    if not allow_private:
        public_addresses(host, resolve or system_resolve, url)


def public_addresses(host: str, resolve: Resolver, url: str | None = None) -> list[str]:
    """The addresses `host` resolves to, all of them public, else `UnsafeURLError`."""
    host = host.rstrip(".").lower()
    where_url = url or host
    hint = "(allow private addresses to fetch it)"
    if host == "localhost" or host.endswith(".localhost"):
        raise UnsafeURLError(f"refused {where_url}: {host} is a loopback host {hint}")
    literal = _parse_ip(host)
    addresses = [host] if literal is not None else resolve(host)
    if not addresses:
        raise FetchError(f"cannot resolve host {host!r}: no addresses")
    for address in addresses:
        ip = _parse_ip(address)
        if ip is None:
            raise UnsafeURLError(f"refused {where_url}: resolver gave a non-address {address!r}")
        kind = _blocked_kind(ip)
        if kind is not None:
            where = address if literal is not None else f"{host} resolves to {address}"
            raise UnsafeURLError(f"refused {where_url}: {where}, a {kind} address {hint}")
    return [str(_parse_ip(address)) for address in addresses]


class CheckedBackend(httpcore.SyncBackend):
    """Opens TCP connections only to addresses checked at connect time.

    The host name is resolved once, here, and the socket goes to one of the
    checked addresses; TLS still verifies the certificate against the name,
    because httpcore passes the original host as the server name.
    """

    def __init__(self, resolve: Resolver) -> None:
        self._resolve = resolve

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = public_addresses(host, self._resolve)
        for address in addresses[:-1]:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                continue  # e.g. an IPv6 address on an IPv4-only network
        return super().connect_tcp(addresses[-1], port, timeout, local_address, socket_options)


def guarded_transport(resolve: Resolver | None = None) -> httpx.HTTPTransport:
    """An httpx transport whose connections go only to public addresses."""
    transport = httpx.HTTPTransport()
    # httpx has no public hook for the network backend: the pool it builds is
    # replaced by one that takes ours, with httpx's own default limits.
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=CheckedBackend(resolve or system_resolve),
    )
    return transport


def _own_transport(allow_private: bool, resolve: Resolver | None) -> httpx.HTTPTransport | None:
    """The guarded transport, unless private addresses are allowed or the
    environment names a proxy: then the proxy connects, and httpx only reads
    proxy settings when no transport is given."""
    if allow_private or urllib.request.getproxies():
        return None
    return guarded_transport(resolve)


def human_size(n: int) -> str:
    """`12_300_000` -> "12.3 MB"; small sizes in kB or bytes."""
    if n >= 1_000_000:
        return f"{n / 1e6:.1f}".removesuffix(".0") + " MB"
    if n >= 1_000:
        return f"{n / 1e3:.1f}".removesuffix(".0") + " kB"
    return f"{n} bytes"


def _too_large(size: int, max_bytes: int) -> FetchError:
    return FetchError(f"too large: {human_size(size)} > {human_size(max_bytes)}")


def _read_capped(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    """The body, refusing (and stopping the download) past `max_bytes` or
    past the deadline: httpx's timeout bounds each read, so a server that
    trickles bytes would otherwise hold us for ever."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(int(declared), max_bytes)
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(f"too large: more than {human_size(max_bytes)}")
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("download too slow", request=response.request)
    return b"".join(chunks)


def _fetched(url: str, response: httpx.Response, content: bytes) -> Fetched:
    media, _, params = response.headers.get("content-type", "").partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return Fetched(url=url, content=content, content_type=media.strip().lower(), charset=charset)


def _get_one(
    client: httpx.Client, url: str, max_bytes: int, timeout: float, deadline: float
) -> Fetched | str:
    """One request: the page, or the next URL when it is a redirect."""
    with client.stream("GET", url, follow_redirects=False, timeout=timeout) as response:
        if response.status_code in _REDIRECTS:
            location = response.headers.get("location")
            if not location:
                raise FetchError(f"HTTP {response.status_code} redirect without a Location from {url}")
            return urljoin(url, str(location))
        if not 200 <= response.status_code < 300:
            raise FetchError(f"HTTP {response.status_code} {response.reason_phrase} from {url}")
        return _fetched(url, response, _read_capped(response, max_bytes, deadline))


def fetch_url(
    url: str,
    client: httpx.Client | None = None,
    *,
    max_bytes: int = 10_000_000,
    timeout: float = 20.0,
    allow_private: bool = False,
    resolve: Resolver | None = None,
    max_redirects: int = 5,
) -> Fetched:
    """GET `url` with the address check before every hop and a size cap.

    Raises `UnsafeURLError` for a refused address, `FetchError` for anything
    else that goes wrong (network errors included)."""
    if client is None:
        transport = _own_transport(allow_private, resolve)
        with httpx.Client(headers={"user-agent": USER_AGENT}, timeout=timeout, transport=transport) as own:
            return fetch_url(
                url,
                own,
                max_bytes=max_bytes,
                timeout=timeout,
                allow_private=allow_private,
                resolve=resolve,
                max_redirects=max_redirects,
            )
    current = url
    deadline = time.monotonic() + timeout  # for the whole fetch, redirects included
    for _ in range(max_redirects + 1):
        check_url_allowed(current, allow_private, resolve)
        try:
            result = _get_one(client, current, max_bytes, timeout, deadline)
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out after {timeout:g} s fetching {current}") from exc
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            raise FetchError(f"cannot fetch {current}: {exc}") from exc
        if isinstance(result, Fetched):
            return result
        current = result
    raise FetchError(f"too many redirects (more than {max_redirects}) from {url}")
