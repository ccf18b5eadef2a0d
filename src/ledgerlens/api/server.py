"""The HTTP server process: uvicorn serving the API on a socket its supervisor bound.

`ledgerlens serve` binds the listening socket once in the supervising process and runs this in a
child process, so a crash of the API process (a native fault, an out-of-memory kill) costs a
restart, not the service: the socket stays open meanwhile and clients queue in its backlog.
"""

from __future__ import annotations

import socket
from typing import Any

from ledgerlens.config import Settings


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for `uvicorn.Config` besides the app and the socket.

    The parser is httptools with a bound on header bytes (`api.headlimit`; h11 where httptools is
    missing); both read the bound from `h11_max_incomplete_event_size`. No WebSocket routes exist,
    so Upgrade requests are not handed to a WebSocket library.
    """
    http: Any = "h11"
    try:
        from ledgerlens.api.headlimit import BoundedHttpToolsProtocol

        http = BoundedHttpToolsProtocol
    except ImportError:  # uvicorn without httptools
        pass
    return {
        "log_level": "info",
        "access_log": settings.access_log,
        "timeout_graceful_shutdown": 10,  # a stuck client cannot hold a shutdown open
        "proxy_headers": False,
        "server_header": False,
        "http": http,
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "ws": "none",
    }


def bind_socket(host: str, port: int) -> socket.socket:
    """The listening socket, bound by the supervisor and inherited by each API process."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def run_api_process(settings: Settings, sock: socket.socket) -> None:
    """Target of the supervised API process: serve on the inherited socket until SIGTERM."""
    import threading

    import uvicorn

    from ledgerlens.api.app import create_app
    from ledgerlens.jobs.sandbox import start_fork_server
    from ledgerlens.jobs.worker import configure_logging

    configure_logging()
    # Upload probes fork from this server; start it (it imports the pipeline) before the first one.
    threading.Thread(target=start_fork_server, name="fork-server-start", daemon=True).start()
    config = uvicorn.Config(create_app(settings), **uvicorn_options(settings))
    uvicorn.Server(config).run(sockets=[sock])
