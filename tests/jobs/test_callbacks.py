"""The webhook target rules (jobs.callbacks): URL form, address policy, resolution and pinned connects.

Decisions only for public targets (no traffic leaves loopback); the transport tests send real requests
to receivers on 127.0.0.1, reached through names that only the test resolver knows, so a request that
arrives proves the connection went to the checked address and was not resolved again.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ledgerlens.jobs.callbacks import (
    MAX_URL_LENGTH,
    CallbackRefused,
    GuardedTransport,
    address_problem,
    check_callback_url,
    resolve_checked,
)
from tests.jobs.receiver import webhook_receiver

REFUSED_ADDRESSES = {
    "http://127.0.0.1:8080/hook": "loopback",
    "http://127.255.255.254/": "loopback",
    "http://[::1]/": "loopback",
    "http://[::ffff:127.0.0.1]/": "IPv4-mapped loopback",
    "http://[::ffff:10.1.2.3]/": "IPv4-mapped private",
    "http://[::ffff:169.254.169.254]/": "IPv4-mapped link-local",
    "http://0.0.0.0/": "unspecified",
    "http://0.1.2.3/": "private",
    "http://[::]/": "unspecified",
    "http://10.0.0.1/": "private",
    "http://172.16.0.1/": "private",
    "http://172.31.255.254/": "private",
    "http://192.168.1.1/": "private",
    "http://169.254.169.254/latest/meta-data/": "cloud metadata",
    "http://169.254.1.1/": "link-local",
    "http://[fc00::1]/": "private",
    "http://[fd12:3456::1]/": "private",
    "http://[fe80::1]/": "link-local",
    "http://[fe80::1%25eth0]/": "zone id",
    "http://[fec0::1]/": "site-local",
    "http://100.64.0.1/": "CGNAT",
    "http://100.100.100.200/": "CGNAT",
    "http://224.0.0.1/": "multicast",
    "http://239.255.255.250/": "multicast",
    "http://[ff02::1]/": "multicast",
    "http://240.0.0.1/": "reserved",
    "http://255.255.255.255/": "reserved",
    "http://192.0.2.10/": "private",
    "http://198.18.0.1/": "private",
    "http://[2001:db8::1]/": "private",
    "http://[::7f00:1]/": "reserved",
    "http://[64:ff9b::a00:1]/": "NAT64 private",
    "http://[64:ff9b:1::1]/": "local-use NAT64",
    "http://[2002:7f00:1::]/": "6to4 loopback",
    "http://[2002:c0a8:101::]/": "6to4 private",
}

ODD_SPELLINGS = [
    "http://2130706433/",
    "http://017700000001/",
    "http://0x7f000001/",
    "http://0x7f.1/",
    "http://0x7F.0.0.1/",
    "http://0177.0.0.1/",  # (httpx itself refuses dotted quads with leading zeros)
    "http://127.1/",
    "http://127.0.1/",
    "http://127.0.0.1./",
    "http://0/",
    "http://1572395042/",  # 93.184.216.34, public, but not a dotted quad
]

BAD_FORM = {
    "ftp://example.com/hook": "http(s)",
    "file:///etc/passwd": "http(s)",
    "gopher://example.com/": "http(s)",
    "javascript:alert(1)": "http(s)",
    "http://": "http(s)",
    "http:///path-only": "http(s)",
    "http:example.com": "http(s)",
    "//example.com/hook": "http(s)",
    "/relative/hook": "http(s)",
    "not a url": "whitespace",
    "http://example.com/a b": "whitespace",
    "http://example.com/\nX-Injected: 1": "whitespace",
    "http://127.0.0.1\\@example.com/": "backslash",
    "http://example.com:99999/": "out of range",
    "http://example.com:65536/": "out of range",
    "http://example.com:0/": "out of range",
    "http://example.com:abc/": "not a valid URL",
    "http://example.com:-1/": "port",
    "http://user:pass@example.com/": "credentials",
    "http://user@example.com/": "credentials",
    "http://example.com@127.0.0.1/": "credentials",
    "http://exa%20mple.com/": "not a valid host name",
    "http://-bad-.example.com/": "not a valid host name",
    "http://" + "a" * 64 + ".example.com/": "not a valid host name",
    "https://example.com/" + "x" * MAX_URL_LENGTH: f"longer than {MAX_URL_LENGTH}",
}

ACCEPTED = [
    "http://93.184.216.34/hook",
    "https://93.184.216.34:8443/hook?x=1",
    "http://[2606:2800:220:1:248:1893:25c8:1946]/hook",
    "http://[::ffff:93.184.216.34]/hook",
    "http://[64:ff9b::5db8:d822]/hook",  # NAT64 of a public address
    "https://hooks.example.com/ledgerlens",
    "https://hooks.example.com:8443/ledgerlens?tenant=a#frag",
    "HTTPS://Hooks.Example.COM/x",
    "http://example.com./hook",
    "http://bücher.example/hook",
    "http://my_host.example.com/hook",
    # names are resolved and checked at delivery, not at creation
    "http://localhost:8080/hook",
    "http://metadata.google.internal/computeMetadata/v1/",
    "https://example.com/" + "x" * (MAX_URL_LENGTH - len("https://example.com/")),
]


@pytest.mark.parametrize(("url", "why"), sorted(REFUSED_ADDRESSES.items()))
def test_non_public_ip_literals_are_refused(url: str, why: str) -> None:
    with pytest.raises(CallbackRefused) as refused:
        check_callback_url(url, allow_private=False)
    assert why in str(refused.value)
    assert "LEDGERLENS_WEBHOOK_ALLOW_PRIVATE" in str(refused.value)
    assert check_callback_url(url, allow_private=True).host  # the switch lifts the address rules only


@pytest.mark.parametrize("url", ODD_SPELLINGS)
@pytest.mark.parametrize("allow_private", [False, True])
def test_ipv4_in_other_spellings_is_refused_whatever_the_setting(url: str, allow_private: bool) -> None:
    with pytest.raises(CallbackRefused, match=r"non-standard form|Invalid IPv4 address"):
        check_callback_url(url, allow_private=allow_private)


@pytest.mark.parametrize(("url", "why"), sorted(BAD_FORM.items()))
@pytest.mark.parametrize("allow_private", [False, True])
def test_malformed_urls_are_refused_whatever_the_setting(url: str, why: str, allow_private: bool) -> None:
    with pytest.raises(CallbackRefused) as refused:
        check_callback_url(url, allow_private=allow_private)
    assert why in str(refused.value)
    assert isinstance(refused.value, ValueError)  # pydantic turns it into a field error


@pytest.mark.parametrize("url", ACCEPTED)
def test_public_targets_and_names_are_accepted(url: str) -> None:
    parsed = check_callback_url(url, allow_private=False)
    assert parsed.scheme in ("http", "https") and parsed.host


def test_address_policy_over_addresses() -> None:
    public = ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]
    for text in public:
        assert address_problem(ipaddress.ip_address(text)) is None, text
    internal = ["127.0.0.1", "10.1.1.1", "172.20.0.1", "192.168.0.1", "169.254.169.254", "100.64.1.1"]
    internal += ["::1", "fe80::1", "fd00::1", "::ffff:192.168.0.1", "224.0.0.251", "0.0.0.0", "::"]
    for text in internal:
        assert address_problem(ipaddress.ip_address(text)) is not None, text


class FakeDNS:
    """A resolver for names the system cannot resolve; counts lookups."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.lookups: list[tuple[str, int]] = []

    def __call__(self, host: str, port: int) -> Sequence[str]:
        self.lookups.append((host, port))
        if host not in self.answers:
            raise OSError(f"unknown host {host}")
        return self.answers[host]


def test_every_resolved_address_is_checked() -> None:
    dns = FakeDNS(
        {
            "public.test": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
            "mixed.test": ["93.184.216.34", "10.0.0.7"],
            "metadata.test": ["169.254.169.254"],
            "mapped.test": ["::ffff:127.0.0.1"],
        }
    )
    got = resolve_checked("public.test", 443, allow_private=False, resolver=dns)
    assert [str(ip) for ip in got] == ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]
    with pytest.raises(CallbackRefused, match=r"mixed\.test resolves to 10\.0\.0\.7 \(private address\)"):
        resolve_checked("mixed.test", 443, allow_private=False, resolver=dns)
    with pytest.raises(CallbackRefused, match="cloud metadata"):
        resolve_checked("metadata.test", 80, allow_private=False, resolver=dns)
    with pytest.raises(CallbackRefused, match="IPv4-mapped loopback"):
        resolve_checked("mapped.test", 80, allow_private=False, resolver=dns)
    assert [str(ip) for ip in resolve_checked("mixed.test", 80, allow_private=True, resolver=dns)] == [
        "93.184.216.34",
        "10.0.0.7",
    ]
    with pytest.raises(OSError, match="unknown host"):
        resolve_checked("nowhere.test", 80, allow_private=False, resolver=dns)
    # an IP literal is never looked up
    before = len(dns.lookups)
    assert [str(ip) for ip in resolve_checked("93.184.216.34", 80, allow_private=False, resolver=dns)] == [
        "93.184.216.34"
    ]
    assert len(dns.lookups) == before


def test_localhost_is_refused_by_the_system_resolver() -> None:
    from ledgerlens.jobs.callbacks import system_resolver

    with pytest.raises(CallbackRefused, match=r"localhost resolves to .* \(loopback address\)"):
        resolve_checked("localhost", 80, allow_private=False, resolver=system_resolver)


def test_transport_connects_to_the_checked_address_only() -> None:
    """`hooks.pinned.test` exists only in the test resolver: the request can only arrive if the
    transport connected to the address it checked, instead of resolving the name again."""
    with webhook_receiver([200]) as receiver:
        port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
        dns = FakeDNS({"hooks.pinned.test": ["127.0.0.1"]})
        with httpx.Client(transport=GuardedTransport(allow_private=True, resolver=dns), trust_env=False) as c:
            r = c.post(f"http://hooks.pinned.test:{port}/hook?x=1", content=b'{"a":1}')
        assert r.status_code == 200
        (req,) = receiver.requests
        assert req.headers["host"] == f"hooks.pinned.test:{port}"
        assert req.path == "/hook?x=1" and req.body == b'{"a":1}'
        assert dns.lookups == [("hooks.pinned.test", port)], "resolved once, by the checking resolver"

        # the same name without the switch: refused before any connection
        strict = GuardedTransport(allow_private=False, resolver=dns)
        with httpx.Client(transport=strict, trust_env=False) as c, pytest.raises(CallbackRefused):
            c.post(f"http://hooks.pinned.test:{port}/hook", content=b"{}")
        # a literal loopback URL too (the transport checks literals as well as names)
        with httpx.Client(transport=strict, trust_env=False) as c, pytest.raises(CallbackRefused):
            c.post(receiver.url, content=b"{}")
    assert len(receiver.requests) == 1


def test_transport_tries_the_next_checked_address_when_one_refuses_connections() -> None:
    with webhook_receiver([204]) as receiver:
        port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
        # 127.0.0.2 is loopback too but nothing listens there on this port
        dns = FakeDNS({"two.pinned.test": ["127.0.0.2", "127.0.0.1"]})
        with httpx.Client(transport=GuardedTransport(allow_private=True, resolver=dns), trust_env=False) as c:
            assert c.post(f"http://two.pinned.test:{port}/h", content=b"x").status_code == 204
    assert len(receiver.requests) == 1


def test_unresolvable_name_is_a_connect_error() -> None:
    dns = FakeDNS({})
    transport = GuardedTransport(allow_private=False, resolver=dns)
    with (
        httpx.Client(transport=transport, trust_env=False) as c,
        pytest.raises(httpx.ConnectError, match=r"cannot resolve nowhere\.test"),
    ):
        c.post("http://nowhere.test/hook", content=b"{}")


# --- TLS: the pinned connection still sends SNI and checks the certificate against the name


def _tls_files(tmp_path: Path, name: str) -> tuple[Path, Path, Path]:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ledgerlens test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_path, cert_path, key_path = tmp_path / "ca.pem", tmp_path / "leaf.pem", tmp_path / "leaf.key"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return ca_path, cert_path, key_path


@contextmanager
def _tls_receiver(cert: Path, key: Path) -> Iterator[tuple[int, list[str | None], list[str]]]:
    """An HTTPS receiver on 127.0.0.1: yields (port, SNI names seen, Host headers seen)."""
    sni: list[str | None] = []
    hosts: list[str] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda _sock, name, _ctx: sni.append(name)  # type: ignore[assignment,func-returns-value]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            hosts.append(self.headers.get("Host", ""))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], sni, hosts
    finally:
        server.shutdown()
        server.server_close()


def test_https_through_a_pinned_address_keeps_sni_and_certificate_check(tmp_path: Path) -> None:
    ca, cert, key = _tls_files(tmp_path, "hooks.tls.test")
    client_ssl = ssl.create_default_context(cafile=str(ca))
    dns = FakeDNS({"hooks.tls.test": ["127.0.0.1"], "other.tls.test": ["127.0.0.1"]})
    inner = httpx.HTTPTransport(verify=client_ssl, limits=httpx.Limits(max_keepalive_connections=0))
    transport = GuardedTransport(allow_private=True, resolver=dns, inner=inner)
    with _tls_receiver(cert, key) as (port, sni, hosts), httpx.Client(transport=transport) as client:
        r = client.post(f"https://hooks.tls.test:{port}/hook", content=b"{}")
        assert r.status_code == 200
        assert sni == ["hooks.tls.test"] and hosts == [f"hooks.tls.test:{port}"]
        # a name the certificate does not cover fails verification, although the address is the same
        with pytest.raises(httpx.ConnectError, match=r"CERTIFICATE_VERIFY_FAILED|certificate"):
            client.post(f"https://other.tls.test:{port}/hook", content=b"{}")
