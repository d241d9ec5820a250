"""Finding 5 (the server's user): ``gongkai serve`` refuses to run as root in production mode."""

import pytest
from django.core.management import CommandError, call_command

from gongkai.ops.management.commands import serve


def test_production_mode_refuses_root(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setattr(serve.os, "geteuid", lambda: 0)
    started = []
    monkeypatch.setattr(serve.subprocess, "Popen", lambda *a, **k: started.append(a))
    with pytest.raises(CommandError, match="root"):
        call_command("serve", "--no-jobs")
    assert started == []


def test_production_mode_runs_as_another_user(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setattr(serve.os, "geteuid", lambda: 1000)
    serve.refuse_root()


def test_the_demo_may_run_as_root(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(serve.os, "geteuid", lambda: 0)
    serve.refuse_root()
