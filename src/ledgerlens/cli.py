"""`ledgerlens` command line: database, API keys, tenants, the server, workers and one-shot parsing."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import typing
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, sessionmaker

from ledgerlens.config import Settings, get_settings
from ledgerlens.errors import ErrorCode, LedgerlensError

app = typer.Typer(
    name="ledgerlens",
    help="Turn bank statements and invoices into exact structured data.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys (stored only as hashes).", no_args_is_help=True)
tenants_app = typer.Typer(help="Tenants and their webhook signing secrets.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(tenants_app, name="tenants")
jobs_app = typer.Typer(help="The job queue (operators).", no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")

LOCAL_TENANT = "local"


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _settings() -> Settings:
    return get_settings()


def _session_factory(settings: Settings, *, migrate: bool) -> sessionmaker[Session]:
    """Sessions on the configured database; admin commands bring the schema up to date first."""
    from ledgerlens.jobs.db import make_engine, make_session_factory

    if migrate:
        from ledgerlens.migrations import upgrade

        upgrade(settings)
    engine = make_engine(settings)
    if not migrate and not sa_inspect(engine).has_table("jobs"):
        _err("The database has no tables yet: run `ledgerlens db upgrade` first.")
        raise typer.Exit(2)
    return make_session_factory(engine)


def _ts(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


# ----------------------------------------------------------------------------------------- db
@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Option(help="Target revision.")] = "head") -> None:
    """Create or migrate the database schema (idempotent)."""
    from ledgerlens.migrations import upgrade

    settings = _settings()
    upgrade(settings, revision)
    _err(f"database at {revision}: {_redact_url(settings.resolved_database_url)}")


def _redact_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<database url>"


# --------------------------------------------------------------------------------------- keys
@keys_app.command("create")
def keys_create(
    tenant: Annotated[str, typer.Option("--tenant", help="Tenant name; created if new.")],
    label: Annotated[str | None, typer.Option(help="Free text to recognise the key by.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Create an API key and print it once (only its hash is stored)."""
    from ledgerlens.jobs.keys import create_key
    from ledgerlens.jobs.tenants import get_or_create_tenant
    from ledgerlens.jobs.transactions import write_session

    sf = _session_factory(_settings(), migrate=True)
    try:
        with write_session(sf) as session:
            row, created = get_or_create_tenant(session, tenant)
            key_row, key = create_key(session, row, label)
            out: dict[str, Any] = {
                "tenant": row.name,
                "tenant_id": row.id,
                "tenant_created": created,
                "key_id": key_row.id,
                "key": key,
            }
            if created:
                out["webhook_secret"] = row.webhook_secret
    except ValueError as exc:
        _err(str(exc))
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(out))
        return
    typer.echo(f"tenant:         {out['tenant']}{' (created)' if created else ''}")
    if created:
        typer.echo(f"webhook secret: {out['webhook_secret']}  (signs X-Signature; `tenants secret` shows it)")
    typer.echo(f"key id:         {out['key_id']}")
    typer.echo(f"api key:        {key}")
    _err("Store the key now: it is not shown again.")


@keys_app.command("list")
def keys_list(
    tenant: Annotated[str | None, typer.Option(help="Only this tenant's keys.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List keys (id, tenant, prefix, label, created, revoked); never the keys themselves."""
    from ledgerlens.jobs.keys import list_keys

    sf = _session_factory(_settings(), migrate=True)
    with sf() as session:
        keys = list_keys(session, tenant)
    if as_json:
        rows = [{**asdict(k), "created_at": _ts(k.created_at), "revoked_at": _ts(k.revoked_at)} for k in keys]
        typer.echo(json.dumps(rows))
        return
    if not keys:
        _err("no keys")
        return
    typer.echo(f"{'KEY ID':36}  {'TENANT':16}  {'PREFIX':10}  {'CREATED':19}  {'STATUS':7}  LABEL")
    for k in keys:
        status = "revoked" if k.revoked_at else "active"
        typer.echo(
            f"{k.id:36}  {k.tenant_name[:16]:16}  {k.prefix:10}  {_ts(k.created_at) or '':19}  "
            f"{status:7}  {k.label or ''}"
        )


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key id shown by `keys list`.")]) -> None:
    """Revoke a key; requests with it are refused from now on."""
    from ledgerlens.jobs.keys import revoke_key
    from ledgerlens.jobs.transactions import write_session

    sf = _session_factory(_settings(), migrate=True)
    with write_session(sf) as session:
        done = revoke_key(session, key_id)
    if not done:
        _err(f"no active key with id {key_id}")
        raise typer.Exit(1)
    _err(f"revoked {key_id}")


def local_key_path(settings: Settings) -> Path:
    return settings.local_key_file or settings.data_dir / "local-api-key"


def _write_secret_file(path: Path, content: str) -> None:
    """Write atomically with 0600 permissions from the first byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, content.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


@keys_app.command("ensure-local")
def keys_ensure_local() -> None:
    """Print the local tenant's key, creating tenant "local", a key and its 0600 key file if needed."""
    from ledgerlens.jobs.keys import create_key, find_active_key
    from ledgerlens.jobs.tenants import get_or_create_tenant
    from ledgerlens.jobs.transactions import write_session

    settings = _settings()
    sf = _session_factory(settings, migrate=True)
    path = local_key_path(settings)
    if path.is_file():
        existing = path.read_text(encoding="utf-8").strip()
        with sf() as session:
            if existing and find_active_key(session, existing) is not None:
                os.chmod(path, 0o600)
                typer.echo(existing)
                _err(f"local API key (from {path})")
                return
        _err(f"{path} holds no active key; creating a new one")
    with write_session(sf) as session:
        tenant, _created = get_or_create_tenant(session, LOCAL_TENANT)
        _row, key = create_key(session, tenant, "local (ensure-local)")
    _write_secret_file(path, key + "\n")
    typer.echo(key)
    _err(f"created local API key for tenant '{LOCAL_TENANT}', saved to {path} (mode 0600)")


# ------------------------------------------------------------------------------------ tenants
@tenants_app.command("list")
def tenants_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List tenants (id, name, created)."""
    from ledgerlens.jobs.tenants import list_tenants

    sf = _session_factory(_settings(), migrate=True)
    with sf() as session:
        rows = [{"id": t.id, "name": t.name, "created_at": _ts(t.created_at)} for t in list_tenants(session)]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    for r in rows:
        typer.echo(f"{r['id']:36}  {r['created_at'] or '':19}  {r['name']}")


@tenants_app.command("secret")
def tenants_secret(
    name: Annotated[str, typer.Argument(help="Tenant name.")],
    rotate: Annotated[bool, typer.Option("--rotate", help="Replace the secret with a new one.")] = False,
) -> None:
    """Print the tenant's webhook signing secret (X-Signature = sha256=HMAC-SHA256(body, secret))."""
    from ledgerlens.jobs.tenants import get_tenant, rotate_webhook_secret
    from ledgerlens.jobs.transactions import write_session

    sf = _session_factory(_settings(), migrate=True)
    with write_session(sf) as session:
        tenant = get_tenant(session, name)
        if tenant is None:
            _err(f"no tenant named {name!r}")
            raise typer.Exit(1)
        secret = rotate_webhook_secret(session, tenant) if rotate else tenant.webhook_secret
    typer.echo(secret)


# ------------------------------------------------------------------------------ serve, worker
def _install_stop_signals() -> None:
    """SIGTERM/SIGINT raise KeyboardInterrupt so `finally` blocks stop the workers cleanly."""

    def _raise(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _raise)
    signal.signal(signal.SIGINT, _raise)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default settings.host).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default settings.port).")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Embedded worker processes (default settings.workers; 0 = none).")
    ] = None,
) -> None:
    """Run the HTTP API with embedded worker processes, webhook delivery and retention.

    This process only supervises: it binds the socket, then runs the API and the workers as child
    processes and restarts whichever dies, so no crash of one of them stops the service.
    """
    from ledgerlens.api.server import bind_socket, run_api_process
    from ledgerlens.jobs.supervisor import ProcessSpec, Supervisor
    from ledgerlens.jobs.worker import configure_logging

    configure_logging()
    settings = _settings()
    if host is not None:
        settings = settings.model_copy(update={"host": host})
    if port is not None:
        settings = settings.model_copy(update={"port": port})
    _session_factory(settings, migrate=False)
    try:
        import ledgerlens.api.app  # noqa: F401  (fail here, not in a restart loop, if it cannot import)
    except ImportError as exc:
        _err(f"the HTTP API is not available: {exc}")
        raise typer.Exit(2) from exc
    try:
        sock = bind_socket(settings.host, settings.port)
    except OSError as exc:
        _err(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}")
        raise typer.Exit(2) from exc
    count = settings.workers if workers is None else max(0, workers)
    api = ProcessSpec("ledgerlens-api", run_api_process, (settings, sock))
    supervisor = Supervisor(settings, count, extra=(api,))
    _install_stop_signals()
    logging.getLogger(__name__).info("serving on http://%s:%d", settings.host, settings.port)
    try:
        supervisor.start()
        supervisor.wait()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        supervisor.stop()
        sock.close()


@app.command()
def worker(
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", help="Worker processes (default settings.workers).")
    ] = None,
    webhooks: Annotated[bool, typer.Option(help="Also deliver webhooks from this process.")] = True,
) -> None:
    """Run worker processes only (no HTTP), plus webhook delivery and retention."""
    from ledgerlens.jobs.supervisor import Supervisor
    from ledgerlens.jobs.worker import configure_logging

    configure_logging()
    settings = _settings()
    _session_factory(settings, migrate=False)
    count = settings.workers if workers is None else max(1, workers)
    supervisor = Supervisor(settings, count, run_webhooks=webhooks)
    _install_stop_signals()
    supervisor.start()
    try:
        supervisor.wait()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        supervisor.stop()


@app.command("inspect")
def inspect_document(
    file: Annotated[Path, typer.Argument(help="A PDF or image (JPEG, PNG, TIFF, WEBP).")],
    password: Annotated[str | None, typer.Option(help="Password of an encrypted PDF.")] = None,
    png: Annotated[Path | None, typer.Option("--png", help="Write pages with word boxes to DIR.")] = None,
) -> None:
    """Show what ingestion sees per page: source, word count, mean confidence, reconstructed lines."""
    from ledgerlens.documents.inspect import run_inspect

    code = run_inspect(file, password=password, png_dir=png, settings=_settings())
    if code:
        raise typer.Exit(code)


# --------------------------------------------------------------------------------------- jobs
@jobs_app.command("stats")
def jobs_stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Jobs by status, pending webhooks, oldest pending job: a quick look at the queue."""
    from sqlalchemy import func, select

    from ledgerlens.jobs.models import Job, WebhookDelivery

    sf = _session_factory(_settings(), migrate=False)
    with sf() as session:
        by_status = {s: n for s, n in session.execute(select(Job.status, func.count()).group_by(Job.status))}
        hooks = {
            s: n
            for s, n in session.execute(
                select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
            )
        }
        oldest = session.scalar(select(func.min(Job.created_at)).where(Job.status == "pending"))
    jobs = {status: by_status.get(status, 0) for status in ("pending", "processing", "completed", "failed")}
    webhooks = {status: hooks.get(status, 0) for status in ("pending", "delivered", "failed")}
    if as_json:
        typer.echo(json.dumps({"jobs": jobs, "webhooks": webhooks, "oldest_pending_created_at": _ts(oldest)}))
        return
    typer.echo("jobs:     " + "  ".join(f"{k}={v}" for k, v in jobs.items()))
    typer.echo("webhooks: " + "  ".join(f"{k}={v}" for k, v in webhooks.items()))
    if oldest is not None:
        typer.echo(f"oldest pending job created {_ts(oldest)}")


@jobs_app.command("reclaim")
def jobs_reclaim() -> None:
    """Requeue jobs whose worker stopped heartbeating (workers also do this on their own)."""
    from ledgerlens.jobs.queue import reclaim_stale

    settings = _settings()
    report = reclaim_stale(_session_factory(settings, migrate=False), settings)
    typer.echo(f"requeued {report.requeued}, failed {report.failed}")


@jobs_app.command("purge")
def jobs_purge(
    days: Annotated[
        int | None, typer.Option(help="Age limit in days (default LEDGERLENS_RETENTION_DAYS).")
    ] = None,
) -> None:
    """Apply retention now: delete documents, results and webhook bodies older than N days."""
    from ledgerlens.jobs.blobs import BlobStore
    from ledgerlens.jobs.retention import purge_expired

    settings = _settings()
    limit = settings.retention_days if days is None else days
    if limit <= 0:
        _err("retention is off (LEDGERLENS_RETENTION_DAYS=0); pass --days N to purge anyway")
        raise typer.Exit(2)
    report = purge_expired(_session_factory(settings, migrate=False), BlobStore(settings.files_dir), limit)
    typer.echo(json.dumps(asdict(report)))


# ------------------------------------------------------------------------------------- config
SECRET_WORDS = ("secret", "token", "password", "key")


def _type_name(annotation: object) -> str:
    """`str | None` → `str (optional)`; a Literal → its values; pipes would break the Markdown table."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is Literal:
        return " / ".join(str(a) for a in args)
    if args:
        names = [_type_name(a) for a in args if a is not type(None)]
        return " or ".join(names) + (" (optional)" if type(None) in args else "")
    return annotation.__name__ if isinstance(annotation, type) else str(annotation)


def _default_text(name: str) -> str:
    field = Settings.model_fields[name]
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
        return "number of CPUs" if value == (os.cpu_count() or 1) else repr(value)
    default = field.default
    if default is None:
        return "unset"
    if isinstance(default, Path):
        return str(default)
    if isinstance(default, str):
        return f'"{default}"' if default else '""'
    return str(default)


def settings_table() -> str:
    """Markdown table of every setting, generated from the Settings model (README `config`)."""
    prefix = str(Settings.model_config.get("env_prefix", ""))
    lines = ["| Variable | Type | Default | Meaning |", "|---|---|---|---|"]
    for name, field in Settings.model_fields.items():
        description = (field.description or "").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
        variable = f"`{prefix}{name.upper()}`"
        lines.append(
            f"| {variable} | {_type_name(field.annotation)} | {_default_text(name)} | {description} |"
        )
    return "\n".join(lines)


def _redacted(name: str, value: object) -> str:
    if value is None:
        return "unset"
    if name == "database_url":
        return _redact_url(str(value))
    if any(word in name for word in SECRET_WORDS) and name != "local_key_file":
        return "<set>"
    return str(value)


@app.command("config")
def config_command(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the reference table of all settings instead.")
    ] = False,
) -> None:
    """Show the effective settings (secrets hidden), or with --markdown the table of all settings."""
    if markdown:
        typer.echo(settings_table())
        return
    settings = _settings()
    prefix = str(Settings.model_config.get("env_prefix", ""))
    for name in Settings.model_fields:
        typer.echo(f"{prefix}{name.upper()}={_redacted(name, getattr(settings, name))}")


# -------------------------------------------------------------------------------------- parse
DocType = Literal["auto", "bank_statement", "invoice"]


def _out_path(out: Path, source: Path, used: set[Path]) -> Path:
    candidate = out / f"{source.stem}.json"
    n = 2
    while candidate in used:
        candidate = out / f"{source.stem}-{n}.json"
        n += 1
    used.add(candidate)
    return candidate


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="Documents (PDF, JPEG, PNG, TIFF, WEBP).")],
    doc_type: Annotated[str, typer.Option("--type", "-t", help="auto | bank_statement | invoice")] = "auto",
    password: Annotated[str | None, typer.Option(help="Password of encrypted PDFs.")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write DIR/<stem>.json per file instead of stdout.")
    ] = None,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Progress bar on stderr (default: tty).")
    ] = None,
) -> None:
    """Extract documents without a server; prints RESULT_SCHEMA JSON (JSON Lines for several files)."""
    if doc_type not in ("auto", "bank_statement", "invoice"):
        _err(f"{ErrorCode.INVALID_REQUEST}: --type must be auto, bank_statement or invoice")
        raise typer.Exit(2)
    try:
        from ledgerlens.pipeline import ProcessOptions, process
    except ImportError as exc:
        _err(f"{ErrorCode.INTERNAL_SERVER_ERROR}: the extraction pipeline is not available ({exc})")
        raise typer.Exit(2) from exc
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    settings = _settings()
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    console = Console(stderr=True)
    show = console.is_terminal if progress is None else progress
    failures = 0
    used: set[Path] = set()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not show,
        transient=False,
    ) as bar:
        overall = bar.add_task("files", total=len(files)) if len(files) > 1 else None

        def report(line: str) -> None:
            """One unwrapped line per failed file, printed above the progress bar."""
            bar.console.print(line, markup=False, highlight=False, soft_wrap=True)

        for path in files:
            task = bar.add_task(path.name[:40], total=None)

            def on_progress(done: int, total: int, _task: Any = task) -> None:
                bar.update(_task, completed=done, total=total)

            try:
                data = path.read_bytes()
                result = process(
                    data,
                    doc_type,  # type: ignore[arg-type]
                    ProcessOptions(password=password, progress=on_progress, settings=settings),
                )
            except OSError as exc:
                failures += 1
                report(f"{path}: {ErrorCode.NOT_FOUND}: cannot read file ({exc.strerror})")
                continue
            except LedgerlensError as exc:
                failures += 1
                report(f"{path}: {exc.code}: {exc.message}")
                continue
            except Exception as exc:
                failures += 1
                logging.getLogger(__name__).debug("parse failed", exc_info=True)
                detail = f"{type(exc).__name__}: {exc}"
                report(f"{path}: {ErrorCode.INTERNAL_SERVER_ERROR}: unexpected error ({detail})")
                continue
            finally:
                bar.remove_task(task)
                if overall is not None:
                    bar.advance(overall)
            if out is not None:
                target = _out_path(out, path, used)
                target.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            elif len(files) == 1:
                sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
            else:
                sys.stdout.write(json.dumps({"file": str(path), "result": result}, ensure_ascii=False) + "\n")
            sys.stdout.flush()
    if failures:
        _err(f"{failures} of {len(files)} file(s) failed")
        raise typer.Exit(1)


def main() -> None:
    app(prog_name="ledgerlens")
