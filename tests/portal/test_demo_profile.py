"""The demo runs with DEBUG off (Chinese error pages), over plain HTTP, with its static files."""

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.templatetags.static import static
print(json.dumps({
    "debug": settings.DEBUG,
    "ssl_redirect": getattr(settings, "SECURE_SSL_REDIRECT", False),
    "cookie_secure": settings.SESSION_COOKIE_SECURE,
    "hosts": settings.ALLOWED_HOSTS,
    "static": static("gongkai/site.css"),
}))
"""


def _settings(tmp_path, **env) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DATABASE_URL"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "gongkai.settings", "GONGKAI_VAR_DIR": str(tmp_path)}, **env)
    out = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_demo_defaults_are_debug_off_over_http(tmp_path):
    demo = _settings(tmp_path)
    assert demo["debug"] is False
    assert demo["ssl_redirect"] is False and demo["cookie_secure"] is False
    assert {"127.0.0.1", "localhost"} <= set(demo["hosts"])
    assert demo["static"] == "/static/gongkai/site.css"  # not collected: the plain name, no error


def test_debug_by_setting_and_https_with_own_key(tmp_path):
    assert _settings(tmp_path, GONGKAI_DEBUG="1")["debug"] is True
    prod = _settings(tmp_path, GONGKAI_SECRET_KEY="k" * 60)
    assert prod["ssl_redirect"] is True and prod["cookie_secure"] is True
    assert _settings(tmp_path, GONGKAI_SECRET_KEY="k" * 60, GONGKAI_HTTPS="0")["ssl_redirect"] is False


@pytest.mark.django_db
def test_unknown_page_is_the_chinese_404(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and "URLconf" not in body
