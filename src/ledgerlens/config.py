"""Settings from `LEDGERLENS_*` environment variables (and an optional `.env`)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LEDGERLENS_", env_file=".env", extra="ignore")

    # --- storage
    data_dir: Path = Field(Path("var"), description="Where the database and stored files live.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default sqlite:///<data_dir>/ledgerlens.db"
    )

    # --- HTTP
    host: str = Field("127.0.0.1", description="Address `ledgerlens serve` binds to.")
    port: int = Field(8000, description="Port `ledgerlens serve` listens on.")
    max_file_bytes: int = Field(10 * 1024 * 1024, description="Per-file upload limit (bytes).")
    max_files_per_request: int = Field(50, description="Files per upload request.")
    rate_limit_per_minute: int = Field(600, description="Requests per token per minute (0 = off).")
    access_log: bool = Field(
        False, description="Log every HTTP request (uvicorn access log; ~0.2 ms CPU per request)."
    )
    status_fast_path: bool = Field(
        True, description="Answer job-status GETs before FastAPI routing (same responses, less CPU)."
    )
    metrics_token: str | None = Field(
        None,
        description="If set, GET /metrics requires `Authorization: Bearer <this>`. Unset (and no "
        "METRICS_ALLOW_FROM), /metrics is served to loopback clients only when the server listens on a "
        "non-loopback address, to anyone when it listens on loopback.",
    )
    metrics_allow_from: str = Field(
        "",
        description="Comma-separated networks allowed to GET /metrics (e.g. 10.0.0.0/8); '' = the default "
        "of METRICS_TOKEN.",
    )
    max_header_bytes: int = Field(
        32 * 1024,
        description="Request line plus headers (bytes); a larger head is refused with 431 and the "
        "connection closed before the app sees it.",
    )
    max_header_count: int = Field(100, description="Header fields per request; more are refused (431).")
    max_body_bytes: int = Field(
        1024 * 1024,
        description="Body of any request but an upload (bytes; 413 FILE_TOO_LARGE past it). Uploads may "
        "carry MAX_FILES_PER_REQUEST x MAX_FILE_BYTES plus 4 MiB of multipart overhead.",
    )

    # --- auth
    jwt_hs256_secret: str | None = Field(None, description="Accept HS256 JWTs signed with this secret.")
    jwt_rs256_public_key: str | None = Field(
        None, description="Accept RS256 JWTs verified with this PEM public key (or a path to it)."
    )
    jwt_audience: str | None = Field(None, description="Required `aud` claim of JWTs (unset = not checked).")
    local_key_file: Path | None = Field(
        None, description="Where `keys ensure-local` keeps the local key; default <data_dir>/local-api-key"
    )

    # --- workers and jobs
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, description="Worker processes.")
    job_timeout_seconds: float = Field(600.0, description="A job running longer is failed (TIMEOUT).")
    heartbeat_seconds: float = Field(2.0, description="How often a worker heartbeats its job.")
    stale_after_seconds: float = Field(15.0, description="A job without heartbeat this long is reclaimed.")
    poll_interval_seconds: float = Field(0.05, description="Idle worker poll interval.")
    max_attempts: int = Field(3, description="Attempts before a job whose workers keep dying is failed.")
    retention_days: int = Field(0, description="Delete files and results older than N days (0 = keep).")
    webhook_attempts: int = Field(6, description="Webhook delivery attempts (exponential backoff).")
    webhook_backoff_seconds: float = Field(1.0, description="First webhook retry delay; doubles each time.")
    webhook_timeout_seconds: float = Field(10.0, description="Timeout of one webhook POST.")
    webhook_allow_private: bool = Field(
        False,
        description="Allow callback_url on loopback, private, link-local and other non-public addresses "
        "(tests, on-premise receivers); off, such URLs are refused at job creation and at delivery.",
    )

    # --- ingestion limits
    max_pages: int = Field(500, description="Pages per document.")
    max_pixels: int = Field(100_000_000, description="Pixels per image/page raster (bomb guard).")
    page_timeout_seconds: float = Field(60.0, description="Seconds allowed per page (OCR included).")
    max_memory_mb: int = Field(
        2048, description="Address-space cap per job child and per upload probe (MB, 0 = off)."
    )
    probe_workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        description="Uploads probed (page tree, type) at once, each in its own child process.",
    )
    probe_timeout_seconds: float = Field(
        30.0,
        description="Seconds allowed to probe one upload: a file whose page tree is not read by then is "
        "refused (LIMIT_EXCEEDED).",
    )
    classify_timeout_seconds: float = Field(
        10.0,
        description="Seconds allowed to guess an upload's type once its page tree is read; past it the "
        "file is stored as type 'other' (jobs still classify it fully).",
    )
    ocr_engine: Literal["auto", "tesseract", "rapidocr"] = Field("auto", description="OCR engine.")
    ocr_languages: str = Field("eng+deu+fra+spa+nld+ita", description="Tesseract languages, '+'-joined.")
    tesseract_backend: Literal["auto", "api", "cli"] = Field(
        "auto",
        description="How Tesseract runs: in-process through tesserocr ('api', models loaded once per "
        "process), as a child process per page ('cli'), or 'auto' (the API when tesserocr is installed).",
    )
    ocr_dpi: int = Field(300, description="Rendering resolution for OCR.")
    ocr_fast: bool = Field(
        False,
        description="Faster Tesseract reads (--psm 11, page bands, smaller glyphs): ~20 % less CPU, but the "
        "extractors lose table rows on these reads (README `ingestion`).",
    )
    page_workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        description="Processes used to OCR the pages of one long document.",
    )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'ledgerlens.db').resolve()}"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
