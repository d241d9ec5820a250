"""What a user sees when a request never reaches the platform is in Chinese: nginx's own error pages
(deploy/nginx.conf, ``error_page``) are the static pages of gongkai/static/gongkai/errors/, and
gunicorn passes a request line up to 8 KB on to the platform instead of answering its English 414."""

import http.client
import os
import re
import signal
import subprocess
import time

import pytest

from tests import programs
from tests.serving import ROOT, free_port, start_gunicorn, stop

CONF = ROOT / "deploy" / "nginx.conf"
STATIC = ROOT / "gongkai" / "static"


def error_pages() -> dict[int, str]:
    """The status codes deploy/nginx.conf sends to a page of its own, with the page's URL."""
    pages = {}
    for codes, url in re.findall(r"^\s*error_page\s+([\d\s]+?)\s+(\S+);", CONF.read_text(), re.M):
        for code in codes.split():
            pages[int(code)] = url
    return pages


def test_every_error_page_of_the_site_is_a_chinese_file_that_is_collected():
    pages = error_pages()
    assert {400, 413, 414, 502, 504} <= set(pages)
    for url in set(pages.values()):
        assert url.startswith("/static/")
        text = (STATIC / url.removeprefix("/static/")).read_text(encoding="utf-8")
        assert '<html lang="zh-Hans">' in text and re.search(r"<h1>[\u4e00-\u9fff]+</h1>", text)


@pytest.fixture
def nginx(tmp_path):
    """nginx with the site's error pages, in front of a port nobody listens on."""
    binary = programs.require_program("nginx")
    port, dead = free_port(), free_port()
    lines = "\n".join(f"    error_page {code} {url};" for code, url in error_pages().items())
    (tmp_path / "logs").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""daemon off; worker_processes 1; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;
events {{}}
http {{
  access_log off; client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 1k;
{lines}
    location /static/ {{ alias {STATIC}/; }}
    location / {{ proxy_pass http://127.0.0.1:{dead}; proxy_connect_timeout 2s; }}
  }}
}}
""")
    server = subprocess.Popen([binary, "-c", str(conf), "-p", str(tmp_path)],  # noqa: S603
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()
            break
        except OSError:
            time.sleep(0.1)
    yield port
    server.send_signal(signal.SIGQUIT)
    server.wait(timeout=20)


def ask(port: int, method: str, path: str, body: bytes | None = None, headers=None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.read().decode("utf-8")


def test_nginx_answers_what_never_reaches_the_platform_in_chinese(nginx):
    status, page = ask(nginx, "GET", "/search/?q=" + "%E6%94%BF" * 3000)  # 27 KB: over nginx's 8 KB
    assert status == 414 and "<h1>网址过长</h1>" in page
    status, page = ask(nginx, "POST", "/apply/", body=b"x" * 4096,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413 and "<h1>上传的内容过大</h1>" in page
    status, page = ask(nginx, "GET", "/", headers={"Cookie": "a=" + "b" * 20000})  # headers too large
    assert status == 400 and "<h1>请求无法处理</h1>" in page
    status, page = ask(nginx, "GET", "/")  # no app server answers
    assert status == 502 and "<h1>网站暂时无法访问</h1>" in page
    assert "Bad Gateway" not in page and "<center>nginx" not in page  # not nginx's own English page


def test_gunicorn_passes_a_request_line_of_up_to_8_kb_to_the_platform(settings, tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings", "GONGKAI_VAR_DIR": str(tmp_path / "var"),
           "GONGKAI_THROTTLE_FILE": str(tmp_path / "throttle.sqlite3"), "PYTHONPATH": str(ROOT),
           "THROTTLE_TEST_LIMIT": "100"}
    env.pop("GONGKAI_CACHE_URL", None)
    port = free_port()
    server = start_gunicorn(env, port, app="tests.core.throttle_app:application", workers=1)
    try:
        path = "/search/?q=" + "%E6%94%BF" * 880  # 7,931 bytes: gunicorn's default (4,094) answered 414
        status, _ = ask(port, "GET", path)
    finally:
        stop(server)
    assert len(f"GET {path} HTTP/1.1") < 8190 and status == 200
