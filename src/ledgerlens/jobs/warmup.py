"""Imported by each worker's fork server so every job child starts with the pipeline loaded.

A broken import must not take the fork server down (it only tolerates ImportError), so any failure
here is swallowed; the job child then imports the pipeline itself and reports the error properly.
"""

from __future__ import annotations

import contextlib

with contextlib.suppress(Exception):
    import ledgerlens.pipeline  # noqa: F401
