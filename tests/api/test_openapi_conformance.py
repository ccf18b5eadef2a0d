"""The OpenAPI document matches the server: a bounded, deterministic schemathesis run against a real
server, with every check on every operation (tests/api/schemathesis.toml lists the few per-operation
exceptions and why; tests/api/openapi_hooks.py what the generator is taught).

Checks: status codes, content types, response headers and bodies as documented, no 5xx, schema-valid
requests accepted and invalid ones rejected, 405 with a correct `Allow` for undocumented methods,
auth enforced where declared, resources available after creation and gone after deletion; over the
coverage, fuzzing and stateful (upload -> job -> status, via the document's links) phases.

The server runs as the API process alone (`api_only`): no workers (jobs stay pending, which costs no
CPU) and no webhook delivery, as generated callback URLs name arbitrary hosts. A longer run is
bench/openapi_fuzz.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ledgerlens.api.app import create_app
from ledgerlens.config import Settings
from ledgerlens.jobs import store
from ledgerlens.migrations import upgrade
from tests.api.documents import png_bytes
from tests.api.live import REPO, start_live_server

pytest.importorskip("schemathesis")

CONFIG = Path(__file__).with_name("schemathesis.toml")
HOOKS = "tests.api.openapi_hooks"
MAX_EXAMPLES = 20
"""Per operation and phase; about 1,300 requests in all, 20-30 s on 2 shared cores."""
HARD_TIMEOUT = 240
"""A run that is still going by then has hung (the budget above is examples, not seconds)."""


def schemathesis_command(base_url: str, key: str, *, max_examples: int, seed: int | None) -> list[str]:
    """`schemathesis run` against a live server with every check, as the test and the bench run it;
    deterministic (the same requests every run) without a `seed`."""
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "--no-color",
        "run", f"{base_url}/openapi.json",
        "--header", f"Authorization: Bearer {key}",
        "--max-examples", str(max_examples),
        "--workers", "1",
        "--request-timeout", "30",
    ]  # fmt: skip
    if seed is None:
        return [*command, "--generation-deterministic"]
    return [*command, "--seed", str(seed), "--generation-database", "none"]


def schemathesis_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMATHESIS_")}
    env["SCHEMATHESIS_HOOKS"] = HOOKS
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def test_openapi_document_matches_the_server(tmp_path: Path) -> None:
    # The rate limiter is on (as by default) so its middleware is in the path, with a limit the
    # run never reaches.
    env = {"LEDGERLENS_RATE_LIMIT_PER_MINUTE": "100000"}
    with start_live_server(tmp_path, env=env, workers=0, api_only=True) as server:
        started = time.monotonic()
        run = subprocess.run(
            schemathesis_command(server.base_url, server.key_a, max_examples=MAX_EXAMPLES, seed=None),
            cwd=tmp_path,
            env=schemathesis_env(),
            capture_output=True,
            text=True,
            timeout=HARD_TIMEOUT,
        )
        elapsed = time.monotonic() - started
    output = run.stdout + run.stderr
    summary = output[output.find("SUMMARY") :] if "SUMMARY" in output else output[-3000:]
    assert run.returncode == 0, f"schemathesis found problems ({elapsed:.0f} s):\n{output[-20000:]}"
    assert "passed" in summary and "generated" in summary, summary


# --- what schemathesis does not look at closely --------------------------------------------------


def _document(tmp_path: Path) -> dict[str, Any]:
    app = create_app(Settings(data_dir=tmp_path, rate_limit_per_minute=0))
    document: dict[str, Any] = TestClient(app).get("/openapi.json").json()
    return document


def test_every_reference_resolves_and_no_fastapi_422(tmp_path: Path) -> None:
    document = _document(tmp_path)
    text = json.dumps(document)
    for ref in set(re.findall(r'"\$ref": "([^"]+)"', text)):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in document["components"]["schemas"], ref
    assert "HTTPValidationError" not in text
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "422" not in codes, (method, path)
            if operation.get("security"):
                assert {"400", "401", "429", "500"} <= codes, (method, path, codes)
            for code, answer in operation["responses"].items():
                if code.startswith(("4", "5")):
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorEnvelope"}, (method, path, code)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/api/v1/files/upload", "POST"),  # a literal path is its own resource ...
        ("OPTIONS", "/api/v1/parse/upload", "POST"),  # ... though /parse/{job_id} matches it too
        ("PATCH", "/api/v1/files/some-id", "DELETE, GET"),  # two routes, one path
        ("POST", "/api/v1/schemas/id/some-id", "DELETE, GET, PUT"),
        ("DELETE", "/api/v1/parse/job_1", "GET"),
        ("POST", "/health", "GET"),
    ],
)
def test_405_allow_lists_every_method_of_the_resource(
    tmp_path: Path, method: str, path: str, allow: str
) -> None:
    """Schemathesis only checks that a 405 has an `Allow` (an empty one passes) and, for OPTIONS,
    that it matches the document; here the exact value for each kind of path."""
    client = TestClient(create_app(Settings(data_dir=tmp_path, rate_limit_per_minute=0)))
    r = client.request(method, path)
    assert r.status_code == 405
    assert r.headers["allow"] == allow
    assert r.json()["error"]["code"] == "INVALID_REQUEST"


def test_a_file_part_without_filename_is_a_file(tmp_path: Path) -> None:
    """The document says `files` parts are files; RFC 7578 only recommends a filename (found by
    the coverage phase: such a part used to be taken for a text field, "No files")."""
    settings = Settings(data_dir=tmp_path, rate_limit_per_minute=0)
    upgrade(settings)
    app = create_app(settings)
    with app.state.ledgerlens.sessions() as session:
        key, _ = store.create_api_key(session, store.ensure_tenant(session, "nameless").id)
    boundary = "x-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"\r\nContent-Type: image/png\r\n\r\n'
        ).encode()
        + png_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Authorization": f"Bearer {key}", "Content-Type": f"multipart/form-data; boundary={boundary}"}
    with TestClient(app) as client:
        r = client.post("/api/v1/files/upload", content=body, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["files"][0]["filename"] == "document"
