"""tests/programs.py: a test whose program is missing is skipped on a developer's machine and fails
under CI, for exactly the programs scripts/system-deps.sh installs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import programs

SYSTEM_DEPS = (Path(__file__).resolve().parent.parent / "scripts" / "system-deps.sh").read_text(encoding="utf-8")


@pytest.mark.parametrize(("value", "expected"), [
    (None, False), ("", False), ("0", False), ("false", False), ("No", False), ("true", True), ("1", True),
])
def test_ci_is_read_from_the_environment(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert programs.in_ci() is expected


def test_a_missing_program_is_a_skip_locally_and_a_failure_under_ci(monkeypatch):
    monkeypatch.setattr(programs, "find_program", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="redis-server is not installed"):
        programs.require_program("redis-server")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="under CI this is a failure"):
        programs.require_program("redis-server")


def test_a_present_program_is_returned(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(programs, "find_program", lambda name: f"/opt/bin/{name}")
    assert programs.require_program("nginx") == "/opt/bin/nginx"


def test_only_what_make_install_installs_may_be_required():
    with pytest.raises(ValueError, match="not installed by scripts/system-deps.sh"):
        programs.require_program("mysqld")


@pytest.mark.parametrize("name", sorted(programs.INSTALLED_BY_SYSTEM_DEPS))
def test_system_deps_installs_every_required_program(name):
    assert name in SYSTEM_DEPS


def test_postgresql_server_programs_are_found_off_path(monkeypatch, tmp_path):
    monkeypatch.setattr(programs.shutil, "which", lambda name: None)
    monkeypatch.setattr(programs.os.path, "exists", lambda path: False)
    monkeypatch.setattr(programs.glob, "glob", lambda pattern: [pattern.replace("*", "15"), pattern.replace("*", "17")]
                        if pattern.endswith("/initdb") else [])
    assert programs.find_program("initdb") == "/usr/lib/postgresql/17/bin/initdb"
    assert programs.find_program("pg_ctl") is None
