"""The request line and headers are bounded in the HTTP parser, before the app sees a request.

uvicorn's default parser (httptools, i.e. llhttp) has no bound on header bytes: an 8 MB header is
read whole and handed to the app, and a client can make each connection hold as much as it sends.
uvicorn bounds it only with h11 (`h11_max_incomplete_event_size`), a pure-Python parser that costs
more CPU per request. `BoundedHttpToolsProtocol` keeps httptools and counts the bytes that arrive
while a request's head is incomplete; past the limit it answers 431 (error envelope) and closes the
connection. `api.server.uvicorn_options` selects it.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from ledgerlens.api.limits import error_body, refusal_headers
from ledgerlens.errors import ErrorCode

DEFAULT_MAX_HEADER_BYTES = 32 * 1024


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a bound on the bytes of a request's line and headers.

    The bound is `config.h11_max_incomplete_event_size` (uvicorn's own name for the same limit
    under h11), so either parser honours one setting. httptools keeps a header's bytes until the
    header ends, so the count is taken on the raw data: bytes received while the head of the
    current request is incomplete. Memory is bounded by the limit plus two reads (256 KiB each).
    """

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.max_head_bytes = config.h11_max_incomplete_event_size or DEFAULT_MAX_HEADER_BYTES
        self.head_bytes = 0
        self.in_head = True
        self.head_began = False

    def on_headers_complete(self) -> None:
        self.in_head = False
        self.head_bytes = 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self.in_head = True  # what arrives next is the head of the next request
        self.head_began = True

    def data_received(self, data: bytes) -> None:
        self.head_began = False
        super().data_received(data)
        if not self.in_head or self.transport.is_closing():
            return
        if self.head_began:
            # This read ended a request (its body, perhaps most of it) and began the next head:
            # counting it whole would refuse the body's bytes; the head is counted from the next read.
            self.head_bytes = 0
            return
        self.head_bytes += len(data)
        if self.head_bytes > self.max_head_bytes:
            self._refuse_head()

    def _refuse_head(self) -> None:
        self.logger.warning("Request headers larger than %d bytes; connection closed.", self.max_head_bytes)
        body = error_body(
            ErrorCode.INVALID_REQUEST,
            "The request headers are too large.",
            f"At most {self.max_head_bytes} bytes of request line and headers.",
        )
        headers = [
            *refusal_headers(body),
            (b"cache-control", b"no-store"),
            (b"x-content-type-options", b"nosniff"),
            (b"x-request-id", uuid.uuid4().hex.encode("ascii")),
        ]
        head = b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
        head += b"".join(name + b": " + value + b"\r\n" for name, value in headers)
        self.transport.write(head + b"\r\n" + body)
        self.transport.close()
