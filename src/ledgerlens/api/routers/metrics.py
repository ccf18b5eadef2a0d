"""GET /metrics: Prometheus text exposition of jobs, processing time, pages, files and webhooks.

Numbers come from the database (`ledgerlens.jobs.metrics.render_metrics`), so any server process
answers the same. Access is restricted two ways: `LEDGERLENS_METRICS_TOKEN` (scrapers then send it as
a bearer token) and/or `LEDGERLENS_METRICS_ALLOW_FROM` (comma-separated client networks). Metrics are
aggregates over all tenants (counts and timings, no ids or names), still not for the world: with
neither set, a server listening on a non-loopback address serves them to loopback clients only
(`loopback_only_by_default`); one listening on loopback serves every client (all are local). A
rendering is reused for one second so a burst of scrapes costs one set of queries.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import threading
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ledgerlens.api.deps import AppState, get_state
from ledgerlens.config import Settings
from ledgerlens.errors import ErrorCode, LedgerlensError
from ledgerlens.jobs.metrics import CONTENT_TYPE, render_metrics

log = logging.getLogger("ledgerlens.api")
router = APIRouter(tags=["metrics"])

CACHE_SECONDS = 1.0
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str) -> list[IPNetwork]:
    """`metrics_allow_from` as networks; raises ValueError on a bad entry (then nobody is allowed)."""
    return [ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip()]


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.body = b""
        self.at = -1e9


_caches: dict[int, _Cache] = {}
"""One per application (keyed by its state object), so test apps in one process do not mix."""
_caches_lock = threading.Lock()


def _render(state: AppState) -> bytes:
    with _caches_lock:
        cache = _caches.setdefault(id(state), _Cache())
    with cache.lock:
        now = time.monotonic()
        if now - cache.at >= CACHE_SECONDS:
            cache.body = render_metrics(state.sessions)
            cache.at = now
        return cache.body


def is_loopback(host: str) -> bool:
    """Whether `host` (a bind or client address) is loopback only; names other than localhost,
    wildcards ('0.0.0.0', '::', '') and anything unparsable are not."""
    if host.lower() in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def loopback_only_by_default(settings: Settings, bind_host: str) -> bool:
    """Whether /metrics is limited to loopback clients: no token and no networks configured, and the
    server listens on `bind_host`, which is not loopback (`serve --host` or `LEDGERLENS_HOST`)."""
    return not settings.metrics_token and not settings.metrics_allow_from and not is_loopback(bind_host)


def _client_host(request: Request) -> str:
    return request.client.host if request.client else ""


def _check_access(request: Request, state: AppState) -> None:
    settings = state.settings
    exposed = loopback_only_by_default(settings, settings.host)
    local = request.scope.get("server")
    if not exposed and local and local[1] is not None:
        # A request that came in on a non-loopback address proves a non-loopback bind, even if the
        # bind address did not reach these settings (a unix socket has no port and is local).
        exposed = loopback_only_by_default(settings, str(local[0]))
    if exposed and not is_loopback(_client_host(request)):
        raise LedgerlensError(
            ErrorCode.FORBIDDEN,
            "Metrics are served to loopback clients only.",
            "Set LEDGERLENS_METRICS_TOKEN or LEDGERLENS_METRICS_ALLOW_FROM to scrape from elsewhere.",
        )
    if settings.metrics_allow_from:
        try:
            networks = parse_networks(settings.metrics_allow_from)
        except ValueError:
            log.error("LEDGERLENS_METRICS_ALLOW_FROM is not a list of networks; refusing every scrape")
            networks = []
        try:
            address = ipaddress.ip_address(_client_host(request))
        except ValueError:
            address = None
        if address is None or not any(address in net for net in networks):
            raise LedgerlensError(ErrorCode.FORBIDDEN, "Metrics are not served to this address.")
    if settings.metrics_token:
        scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), settings.metrics_token.encode()
        ):
            raise LedgerlensError(
                ErrorCode.UNAUTHORIZED, "Metrics need `Authorization: Bearer <metrics token>`."
            )


@router.get("/metrics", summary="Prometheus metrics (see the module docstring for who may read them)")
async def metrics(request: Request, state: Annotated[AppState, Depends(get_state)]) -> Response:
    _check_access(request, state)
    body = await run_in_threadpool(_render, state)
    return Response(content=body, media_type=CONTENT_TYPE)
