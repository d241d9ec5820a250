"""Finding 5 (the server's user): ``gongkai serve`` refuses to run as root in an installation
(its own secret key); the local demo of ``make run`` (the public demo key) may run as root."""

import pytest
from django.conf import settings as conf
from django.core.management import CommandError, call_command

from gongkai.ops.management.commands import serve


def test_an_installation_refuses_root(settings, monkeypatch):
    settings.DEBUG = False
    settings.SECRET_KEY = "an-installation-key-" + "x" * 40
    monkeypatch.setattr(serve.os, "geteuid", lambda: 0)
    started = []
    monkeypatch.setattr(serve.subprocess, "Popen", lambda *a, **k: started.append(a))
    with pytest.raises(CommandError, match="root"):
        call_command("serve", "--no-jobs")
    assert started == []


def test_an_installation_runs_as_another_user(settings, monkeypatch):
    settings.SECRET_KEY = "an-installation-key-" + "x" * 40
    monkeypatch.setattr(serve.os, "geteuid", lambda: 1000)
    serve.refuse_root()


def test_the_demo_may_run_as_root_with_debug_off(settings, monkeypatch):
    settings.DEBUG = False
    settings.SECRET_KEY = conf.DEMO_SECRET_KEY
    monkeypatch.setattr(serve.os, "geteuid", lambda: 0)
    serve.refuse_root()
