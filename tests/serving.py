"""Real servers for tests: a free port, gunicorn started with ``gongkai serve``'s command line."""

import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from gongkai.ops.management.commands.serve import gunicorn_command

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def start_gunicorn(env, port: int, *, app: str, workers: int = 2) -> subprocess.Popen:
    """gunicorn as ``gongkai serve`` starts it (its command line), serving ``app`` (which answers
    ``/ping`` with 204 once it is up) with ``env["GONGKAI_VAR_DIR"]`` as its VAR_DIR."""
    from django.test import override_settings

    with override_settings(VAR_DIR=Path(env["GONGKAI_VAR_DIR"])):
        cmd = gunicorn_command(f"127.0.0.1:{port}", workers, app=app)
    server = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(f"http://127.0.0.1:{port}/ping")[0] == 204:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise AssertionError("gunicorn did not start")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
