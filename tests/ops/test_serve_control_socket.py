"""``gongkai serve`` gives gunicorn a control socket of its own installation (VAR_DIR), so two
installations on one machine do not take each other's socket (gunicorn's default is one per user)."""

import os
import stat
from pathlib import Path

from gongkai.ops.management.commands.serve import SOCKET_PATH_MAX, gunicorn_command

from ..serving import ROOT, free_port, start_gunicorn, stop


def test_the_control_socket_is_under_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    cmd = gunicorn_command("127.0.0.1:8123", 3)
    assert cmd[cmd.index("--control-socket") + 1] == str(tmp_path / "gunicorn.ctl")
    assert cmd[cmd.index("--workers") + 1] == "3" and "--no-control-socket" not in cmd


def test_the_console_shows_no_line_per_request_unless_asked(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("GONGKAI_ACCESS_LOG", raising=False)
    cmd = gunicorn_command("127.0.0.1:8123", 2)
    assert "--access-logfile" not in cmd and cmd[cmd.index("--log-level") + 1] == "warning"
    monkeypatch.setenv("GONGKAI_ACCESS_LOG", "1")
    assert "--access-logfile" in gunicorn_command("127.0.0.1:8123", 2)


def test_a_var_dir_too_deep_for_a_socket_gets_none(settings, tmp_path):
    settings.VAR_DIR = tmp_path / ("x" * SOCKET_PATH_MAX)
    cmd = gunicorn_command("127.0.0.1:8123", 2)
    assert "--no-control-socket" in cmd and "--control-socket" not in cmd


def is_socket(path: Path) -> bool:
    return path.exists() and stat.S_ISSOCK(path.stat().st_mode)


def test_two_installations_keep_their_own_control_sockets(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings", "PYTHONPATH": str(ROOT)}
    env.pop("GONGKAI_CACHE_URL", None)
    first_dir, second_dir = tmp_path / "a", tmp_path / "b"
    first = start_gunicorn({**env, "GONGKAI_VAR_DIR": str(first_dir)}, free_port(), workers=1,
                           app="tests.core.throttle_app:application")
    try:
        second = start_gunicorn({**env, "GONGKAI_VAR_DIR": str(second_dir)}, free_port(), workers=1,
                                app="tests.core.throttle_app:application")
        try:
            assert is_socket(first_dir / "gunicorn.ctl") and is_socket(second_dir / "gunicorn.ctl")
        finally:
            stop(second)
        assert not (second_dir / "gunicorn.ctl").exists()  # removed at stop ...
        assert is_socket(first_dir / "gunicorn.ctl")  # ... and the first installation's is still there
    finally:
        stop(first)
