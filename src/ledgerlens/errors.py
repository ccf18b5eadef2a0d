"""Errors that carry one of the API's error codes, so every layer can fail the same way.

The HTTP layer maps `LedgerlensError.code` to the status in spec/API.md; the worker stores
`code`/`message` on a failed job. Nothing below the API layer knows about HTTP.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    UNAUTHORIZED = "UNAUTHORIZED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    INVALID_REQUEST = "INVALID_REQUEST"
    VALIDATION_ERROR = "VALIDATION_ERROR"
    UNSUPPORTED_FORMAT = "UNSUPPORTED_FORMAT"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    CORRUPT_DOCUMENT = "CORRUPT_DOCUMENT"
    PASSWORD_REQUIRED = "PASSWORD_REQUIRED"
    CONFLICT = "CONFLICT"
    GONE = "GONE"
    RATE_LIMIT_EXCEEDED = "RATE_LIMIT_EXCEEDED"
    SCHEMA_NOT_FOUND = "SCHEMA_NOT_FOUND"
    SCHEMA_EXISTS = "SCHEMA_EXISTS"
    INVALID_SCHEMA_TYPE = "INVALID_SCHEMA_TYPE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    # Not in the spec's table but needed by workers: a page or job that ran past its time limit,
    # or a document over a resource limit. Reported on failed jobs, never as an HTTP status.
    TIMEOUT = "TIMEOUT"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"


HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.INVALID_REQUEST: 400,
    ErrorCode.VALIDATION_ERROR: 400,
    ErrorCode.UNSUPPORTED_FORMAT: 415,
    ErrorCode.FILE_TOO_LARGE: 413,
    ErrorCode.CORRUPT_DOCUMENT: 400,
    ErrorCode.PASSWORD_REQUIRED: 400,
    ErrorCode.CONFLICT: 409,
    ErrorCode.GONE: 410,
    ErrorCode.RATE_LIMIT_EXCEEDED: 429,
    ErrorCode.SCHEMA_NOT_FOUND: 404,
    ErrorCode.SCHEMA_EXISTS: 409,
    ErrorCode.INVALID_SCHEMA_TYPE: 400,
    ErrorCode.INTERNAL_SERVER_ERROR: 500,
    ErrorCode.TIMEOUT: 500,
    ErrorCode.LIMIT_EXCEEDED: 413,
}


class LedgerlensError(Exception):
    """A failure with a stable code and a message safe to show to the client."""

    def __init__(self, code: ErrorCode, message: str, details: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.code]


class DocumentError(LedgerlensError):
    """The document itself cannot be processed (format, corruption, password, limits)."""
