"""Which webhook `callback_url`s are allowed, checked at job creation and again at delivery.

A callback URL comes from the client, and the service POSTs to it from inside its own network, so it
must not be a way to reach internal addresses (loopback, private networks, link-local, cloud metadata
at 169.254.169.254, CGNAT, multicast, reserved ...). The rules live here, in one place:

- `check_callback_url` (job creation, in the API, and again before each send): the URL's form. http or
  https only, a host, no `user:pass@` (credentials in URLs end up in logs and stored rows, and
  `http://good@evil/` is a classic way to confuse URL parsers; receivers authenticate us by
  `X-Signature`), a port in 1-65535, at most `MAX_URL_LENGTH` characters, no whitespace or control
  characters. A host that is an IP literal must be a public address; IPv4 in another spelling
  (`2130706433`, `0x7f.1`, `127.1`, `127.0.0.1.`) is refused outright, public or not, because URL
  parsers and resolvers disagree about such hosts. Names are not resolved at creation.
- `GuardedTransport` (delivery): resolves the name, refuses the request if *any* address is not public,
  then connects to the checked address itself (the URL is rewritten to the IP; the `Host` header and
  TLS SNI / certificate check keep the name), so a DNS answer that changes between the check and the
  connect (DNS rebinding) is never used. Every request goes through it, so a redirect, were one ever
  followed, would be checked the same way.

`allow_private=True` (`LEDGERLENS_WEBHOOK_ALLOW_PRIVATE=1`) lifts the address rules, for tests and
on-premise receivers; the form rules always apply. Parsing is httpx's, the parser that sends.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Sequence
from typing import Any

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]
"""(host, port) -> the host's addresses as strings, in the order to try them."""

MAX_URL_LENGTH = 2048
MAX_ADDRESSES_TRIED = 3
"""Connect attempts over a name's (checked) addresses, each bounded by the POST timeout."""

_ALLOW_HINT = "set LEDGERLENS_WEBHOOK_ALLOW_PRIVATE=1 to allow internal receivers"
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_METADATA = ipaddress.IPv4Address("169.254.169.254")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_NUMERIC_LABEL = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)$")
_BAD_CHARS = re.compile(r"[\x00-\x20\x7f\\]")


class CallbackRefused(ValueError):
    """A callback URL, or an address its host resolves to, is not allowed. The message says why."""


def address_problem(ip: IPAddress) -> str | None:
    """Why `ip` is not a public unicast address (None when it is)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return "IPv6 address with a zone id"
        if ip.ipv4_mapped is not None:
            inner = address_problem(ip.ipv4_mapped)
            return None if inner is None else f"IPv4-mapped {inner}"
        if ip in _NAT64:  # a NAT64 gateway forwards to the embedded IPv4 address
            inner = address_problem(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
            return None if inner is None else f"NAT64 {inner}"
        if ip in _NAT64_LOCAL:
            return "local-use NAT64 address"
        if ip.sixtofour is not None:
            inner = address_problem(ip.sixtofour)
            return None if inner is None else f"6to4 {inner}"
    if ip.is_unspecified:
        return "unspecified address"
    if ip.is_loopback:
        return "loopback address"
    if ip == _METADATA:
        return "link-local address (cloud metadata service)"
    if ip.is_link_local:
        return "link-local address"
    if ip.is_multicast:
        return "multicast address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "site-local address"
    if ip in _CGNAT:
        return "shared (CGNAT) address"
    if ip.is_reserved:
        return "reserved address"
    if ip.is_private:
        return "private address"
    if not ip.is_global:
        return "non-public address"
    return None


def _ip_literal(host: str) -> IPAddress | None:
    """The address when `host` (httpx's host, IPv6 without brackets) is an IP literal, else None.

    Raises CallbackRefused for IPv4 spelled any other way than a dotted quad: a last label that is a
    number (`2130706433`, `0x7f.1`, `127.1`, `127.0.0.1.`) makes the host an IPv4 address for
    browsers and `inet_aton`, so it is never taken for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    labels = host.rstrip(".").split(".") if host.rstrip(".") else [host]
    if _NUMERIC_LABEL.match(labels[-1]):
        raise CallbackRefused(
            f"callback_url host {host!r} is an IP address in a non-standard form; write it as a dotted quad"
        )
    return None


def _check_name(host: str) -> None:
    name = host[:-1] if host.endswith(".") else host
    if len(name) > 253 or not all(_LABEL.match(label) for label in name.split(".")):
        raise CallbackRefused(f"callback_url host {host!r} is not a valid host name")


def check_callback_url(url: str, *, allow_private: bool) -> httpx.URL:
    """The parsed URL when `url` may be used as a webhook target, else CallbackRefused (why)."""
    if len(url) > MAX_URL_LENGTH:
        raise CallbackRefused(f"callback_url is longer than {MAX_URL_LENGTH} characters")
    if _BAD_CHARS.search(url):
        raise CallbackRefused("callback_url contains whitespace, control characters or a backslash")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise CallbackRefused(f"callback_url is not a valid URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.raw_host:
        raise CallbackRefused("callback_url must be an absolute http(s) URL with a host")
    if parsed.userinfo:
        raise CallbackRefused("callback_url must not contain credentials (user:password@)")
    if parsed.port is not None and not 1 <= parsed.port <= 65535:
        raise CallbackRefused(f"callback_url port {parsed.port} is out of range 1-65535")
    host = parsed.raw_host.decode("ascii").lower()
    ip = _ip_literal(host)
    if ip is None:
        _check_name(host)
    elif not allow_private:
        problem = address_problem(ip)
        if problem is not None:
            raise CallbackRefused(f"callback_url points to {ip} ({problem}); {_ALLOW_HINT}")
    return parsed


def system_resolver(host: str, port: int) -> list[str]:
    """The host's addresses from the system resolver (getaddrinfo), duplicates removed, in order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def resolve_checked(host: str, port: int, *, allow_private: bool, resolver: Resolver) -> list[IPAddress]:
    """Every address of `host`, each checked; CallbackRefused when any one is not public.

    A failed lookup is an OSError (socket.gaierror): a network problem, retried like one."""
    literal = _ip_literal(host)
    addresses = [literal] if literal is not None else [ipaddress.ip_address(a) for a in resolver(host, port)]
    if not addresses:
        raise OSError(f"{host} has no addresses")
    if not allow_private:
        for ip in addresses:
            problem = address_problem(ip)
            if problem is not None:
                shown = str(ip) if literal is not None else f"{host} resolves to {ip}"
                raise CallbackRefused(f"callback_url refused: {shown} ({problem}); {_ALLOW_HINT}")
    return addresses


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport that only connects to checked addresses, pinned (see the module docstring).

    Connections are not kept alive: they are pooled by address, and a TLS connection made (and its
    certificate checked) for one name must not carry a request for another name at the same address.
    """

    def __init__(
        self,
        *,
        allow_private: bool,
        resolver: Resolver | None = None,
        inner: httpx.BaseTransport | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.resolver: Resolver = resolver or system_resolver
        self._inner = inner or httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https") or not url.raw_host:
            raise CallbackRefused(f"callback_url refused: {url.scheme!r} URL without a host")
        host = url.raw_host.decode("ascii").lower()
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            addresses = resolve_checked(host, port, allow_private=self.allow_private, resolver=self.resolver)
        except OSError as exc:
            raise httpx.ConnectError(f"cannot resolve {host}: {exc}", request=request) from exc
        if _ip_literal(host) is not None:
            return self._inner.handle_request(request)
        extensions: dict[str, Any] = dict(request.extensions)
        if url.scheme == "https":
            extensions["sni_hostname"] = host  # TLS: SNI and certificate check against the name
        last: httpx.TransportError | None = None
        for ip in addresses[:MAX_ADDRESSES_TRIED]:
            pinned = httpx.Request(
                request.method,
                url.copy_with(host=str(ip)),
                headers=request.headers,  # carries `Host: <name>` from the original URL
                stream=request.stream,
                extensions=extensions,
            )
            try:
                return self._inner.handle_request(pinned)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:  # nothing sent yet: next address
                last = exc
        assert last is not None
        raise last

    def close(self) -> None:
        self._inner.close()
