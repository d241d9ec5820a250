"""A WSGI application for tests/core/test_throttle_processes.py: one throttled door, answered by
whichever gunicorn worker takes the request (the body names the worker's process id)."""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
django.setup()

from gongkai.core.throttle import Throttle  # noqa: E402 - after django.setup()

THROTTLE = Throttle(name="gunicorn-test", limit=int(os.environ.get("THROTTLE_TEST_LIMIT", "5")), window=3600)


def application(environ, start_response):
    ip = "198.51.100.7"
    if environ.get("PATH_INFO") == "/ping":  # is the server up? (not counted)
        status = "204 No Content"
    elif environ.get("PATH_INFO") == "/worker":  # which worker answers, held a moment (not counted)
        status = "202 Accepted"
        time.sleep(0.5)
    elif THROTTLE.is_limited(ip):
        status = "429 Too Many Requests"
    else:
        THROTTLE.hit(ip)
        status = "200 OK"
        time.sleep(float(os.environ.get("THROTTLE_TEST_HOLD", "0")))  # keep this worker busy: the next goes to another
    body = str(os.getpid()).encode() if status != "204 No Content" else b""
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
