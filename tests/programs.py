"""Tests that need a program of the machine (redis-server, nginx, PostgreSQL's tools, chromium,
LibreOffice, the CJK fonts): skipped on a developer's machine without it, **failed** under CI.

``make install`` runs scripts/system-deps.sh, which installs every program named in
:data:`INSTALLED_BY_SYSTEM_DEPS`; CI (``.ci/run``, with ``CI`` set) runs after it, so a missing
program there is a broken install step, not a reason to pass without running the test.
Skips that depend on the database (SQLite-only or PostgreSQL-only tests) are not for this module.
"""

from __future__ import annotations

import glob
import os
import shutil

import pytest

# What scripts/system-deps.sh installs when missing (tests/test_programs.py keeps the two in step).
INSTALLED_BY_SYSTEM_DEPS = frozenset({
    "redis-server", "nginx", "soffice", "chromium", "wrk",
    "initdb", "pg_ctl", "pg_basebackup", "pg_dump", "pg_restore",
})


def in_ci() -> bool:
    """True when the ``CI`` environment variable is set to anything but empty, 0, false or no."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def find_program(name: str) -> str | None:
    """The program's path: on PATH, in /usr/sbin (nginx for a user), or PostgreSQL's versioned bin directory."""
    found = shutil.which(name)
    if found:
        return found
    if os.path.exists(f"/usr/sbin/{name}"):
        return f"/usr/sbin/{name}"
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def missing(reason: str) -> None:
    """Skip the test here; under CI, fail it (what `make install` provides must be there)."""
    if in_ci():
        pytest.fail(f"{reason} — under CI this is a failure: `make install` (scripts/system-deps.sh) installs it",
                    pytrace=False)
    pytest.skip(reason)


def require_program(name: str) -> str:
    """The program's path; if it is missing, :func:`missing` (a skip here, a failure under CI)."""
    if name not in INSTALLED_BY_SYSTEM_DEPS:
        raise ValueError(f"{name} is not installed by scripts/system-deps.sh: add it there first")
    found = find_program(name)
    if found is None:
        missing(f"{name} is not installed (scripts/system-deps.sh installs it)")
    return found
