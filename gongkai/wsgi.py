"""WSGI entry point (gunicorn gongkai.wsgi).

Each worker warms up before it takes its first request (``GONGKAI_WARM_UP=0`` turns it off): the
views and the API's schemas (every URL pattern imported), the cache client, the search's segmenter
and the work calendar are built now, not in the first requests. Measured in ``gongkai bench
cluster`` on a loaded 2-core machine, a fresh worker's first pages took 4–8 s for exactly these; the
requests nginx sent to an app server just restarted waited behind them, up to the client's 10 s.
A step that fails (database or Redis not reachable yet) is left to the first request, as before.
"""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
application = get_wsgi_application()

logger = logging.getLogger("gongkai.wsgi")


def _urls() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module


def _cache() -> None:
    from django.core.cache import caches

    caches["default"].get("gk:warm-up")  # the client library and its connection (Redis)


def _segmenter() -> None:
    from gongkai.search.query import segmenter

    segmenter()


def _calendar() -> None:
    from gongkai.core.calendar import get_work_calendar

    get_work_calendar()


def warm_up() -> None:
    from django.db import connections

    for step in (_urls, _cache, _segmenter, _calendar):
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - the first request pays it instead
            logger.info("warm-up step %s skipped: %s", step.__name__, exc)
    connections.close_all()  # a worker's own connections are opened by its requests


if os.environ.get("GONGKAI_WARM_UP", "1") != "0":
    warm_up()
