"""Streaming multipart/form-data reader with upload limits enforced while the body arrives.

Starlette's form parser accepts files of any size; this one stops keeping a file's bytes as soon as
it passes the per-file limit (the file is then reported as FILE_TOO_LARGE and the rest of the
request still goes through), caps the number of files and of form fields, and spools each file to a
temporary file so memory stays flat however many files arrive.
"""

from __future__ import annotations

import codecs
import tempfile
from dataclasses import dataclass, field
from typing import IO

from fastapi import Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from ledgerlens.errors import ErrorCode, LedgerlensError

SPOOL_BYTES = 1024 * 1024
MAX_FIELD_BYTES = 64 * 1024
MAX_FIELDS = 32
BODY_OVERHEAD_BYTES = 4 * 1024 * 1024
"""Allowance beyond max_files * max_file_bytes for boundaries, headers and form fields."""


@dataclass(slots=True)
class UploadedFile:
    field: str
    filename: str
    spool: IO[bytes]
    size: int = 0
    too_large: bool = False

    def read(self) -> bytes:
        self.spool.seek(0)
        return self.spool.read()


@dataclass(slots=True)
class MultipartForm:
    fields: dict[str, str] = field(default_factory=dict)
    files: list[UploadedFile] = field(default_factory=list)
    extra_files: int = 0
    """Files beyond the per-request limit (not kept)."""

    def close(self) -> None:
        for f in self.files:
            f.spool.close()


@dataclass(slots=True)
class _Part:
    name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)
    file: UploadedFile | None = None
    skip: bool = False


def is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").lower().startswith("multipart/form-data")


async def read_multipart(
    request: Request, *, file_fields: frozenset[str], max_file_bytes: int, max_files: int
) -> MultipartForm:
    """Parse the request body; files only from `file_fields`, other parts as short text fields."""
    content_type = request.headers.get("content-type", "")
    _, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if not boundary:
        raise LedgerlensError(ErrorCode.INVALID_REQUEST, "multipart/form-data without a boundary.")
    charset_raw = params.get(b"charset", b"utf-8")
    try:
        charset = codecs.lookup(charset_raw.decode("latin-1")).name
    except LookupError:
        charset = "utf-8"

    form = MultipartForm()
    part = _Part()
    header_name = bytearray()
    header_value = bytearray()
    disposition = b""
    field_count = 0
    body_limit = max_files * max_file_bytes + BODY_OVERHEAD_BYTES
    received = 0

    def on_part_begin() -> None:
        nonlocal part, disposition
        part = _Part()
        disposition = b""

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_name.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.extend(data[start:end])

    def on_header_end() -> None:
        nonlocal disposition
        if bytes(header_name).lower() == b"content-disposition":
            disposition = bytes(header_value)
        header_name.clear()
        header_value.clear()

    def on_headers_finished() -> None:
        nonlocal field_count
        _, options = parse_options_header(disposition)
        name = options.get(b"name")
        if name is None:
            raise LedgerlensError(ErrorCode.INVALID_REQUEST, "A multipart part has no field name.")
        part.name = name.decode(charset, errors="replace")
        raw_filename = options.get(b"filename")
        # A part of a file field is a file even without a filename (RFC 7578: a filename SHOULD,
        # not must, be given; some clients leave it out for raw bytes).
        if part.name in file_fields:
            if len(form.files) >= max_files:
                form.extra_files += 1
                part.skip = True
                return
            part.filename = (raw_filename or b"").decode(charset, errors="replace")
            part.file = UploadedFile(
                field=part.name,
                filename=part.filename,
                spool=tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES),  # noqa: SIM115
            )
            form.files.append(part.file)
        elif raw_filename is not None:
            part.skip = True  # a file in a field we do not read: ignored, like any unknown field
        else:
            field_count += 1
            if field_count > MAX_FIELDS:
                raise LedgerlensError(ErrorCode.INVALID_REQUEST, f"More than {MAX_FIELDS} form fields.")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if part.skip:
            return
        chunk = data[start:end]
        upload = part.file
        if upload is None:
            if len(part.data) + len(chunk) > MAX_FIELD_BYTES:
                raise LedgerlensError(
                    ErrorCode.INVALID_REQUEST,
                    f"Form field {part.name!r} is longer than {MAX_FIELD_BYTES} bytes.",
                )
            part.data.extend(chunk)
            return
        upload.size += len(chunk)
        if upload.too_large:
            return
        if upload.size > max_file_bytes:
            upload.too_large = True
            upload.spool.seek(0)
            upload.spool.truncate()
            return
        upload.spool.write(chunk)

    def on_part_end() -> None:
        if part.file is None and not part.skip:
            form.fields[part.name] = part.data.decode(charset, errors="replace")

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
        },
    )
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > body_limit:
                raise LedgerlensError(
                    ErrorCode.FILE_TOO_LARGE,
                    "The request body is larger than the upload limits allow.",
                    f"At most {max_files} files of {max_file_bytes} bytes each.",
                )
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        form.close()
        raise LedgerlensError(ErrorCode.INVALID_REQUEST, "Malformed multipart body.", str(exc)) from None
    except BaseException:
        form.close()
        raise
    return form
