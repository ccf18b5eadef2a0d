"""OpenAPI conformance fuzzing: a longer schemathesis run than tests/api/test_openapi_conformance.py.

Starts the API process alone on a free 127.0.0.1 port (temporary data directory, no workers, no
webhook delivery: generated callback URLs name arbitrary hosts) and runs `schemathesis run` with
every check, tests/api/schemathesis.toml and tests/api/openapi_hooks.py, with more examples per
operation and a random (or given) seed, so each run explores requests the test's fixed run does
not. Prints schemathesis's findings and exits with its status (0: nothing found). Stops by itself:
the run is bounded by examples, and killed at `--timeout`.

    .venv/bin/python bench/openapi_fuzz.py [--examples 100] [--seed N] [--timeout 900]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.api.live import start_live_server  # noqa: E402
from tests.api.test_openapi_conformance import schemathesis_command, schemathesis_env  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="examples per operation and phase")
    parser.add_argument("--seed", type=int, default=None, help="default: a random one (printed)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before the run is killed")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    with tempfile.TemporaryDirectory(prefix="ledgerlens-fuzz-") as tmp:
        env = {"LEDGERLENS_RATE_LIMIT_PER_MINUTE": "1000000"}
        with start_live_server(Path(tmp), env=env, workers=0, api_only=True) as server:
            command = schemathesis_command(
                server.base_url, server.key_a, max_examples=args.examples, seed=seed
            )
            print(
                f"seed {seed}, {args.examples} examples per operation, server {server.base_url}", flush=True
            )
            started = time.monotonic()
            try:
                run = subprocess.run(command, cwd=tmp, env=schemathesis_env(), timeout=args.timeout)
            except subprocess.TimeoutExpired:
                print(f"schemathesis still running after {args.timeout:.0f} s: stopped", flush=True)
                return 2
            print(f"schemathesis exited with {run.returncode} after {time.monotonic() - started:.0f} s")
            errors = [line for line in server.log().splitlines() if "Traceback" in line or " ERROR " in line]
            if errors:
                print(f"server log: {len(errors)} error lines, first: {errors[0]}")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
