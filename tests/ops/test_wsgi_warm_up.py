"""gongkai.wsgi warms a worker up before its first request (and never fails to load for it)."""

import json
import os
import subprocess
import sys

SCRIPT = """
import json, sys
import gongkai.wsgi
from gongkai.search import segment
print(json.dumps({"api": "gongkai.portal.api.endpoints" in sys.modules, "ninja": "ninja" in sys.modules,
                  "segmenter": segment._cached is not None, "app": callable(gongkai.wsgi.application)}))
"""


def loaded(tmp_path, **env) -> dict:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DATABASE_URL"))}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=180,  # noqa: S603
                          env={**keep, "DJANGO_SETTINGS_MODULE": "gongkai.settings",
                               "GONGKAI_VAR_DIR": str(tmp_path), **env})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_worker_is_warm_before_its_first_request(tmp_path):
    # The views and the API's schemas are imported at load time.
    out = loaded(tmp_path)
    assert out["app"] and out["api"] and out["ninja"]
    # An empty database (not migrated): the segmenter, which reads the dictionary, is left to the
    # first request, and the worker still loads.
    assert out["segmenter"] is False


def test_warm_up_can_be_turned_off(tmp_path):
    out = loaded(tmp_path, GONGKAI_WARM_UP="0")
    assert out["app"] and not out["api"] and not out["segmenter"]
