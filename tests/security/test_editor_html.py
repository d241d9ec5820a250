"""Posture: record bodies carry no external images (tracking pixels) and no script."""

import pytest

from gongkai.records.services import sanitize_html


@pytest.mark.parametrize("src", ["https://tracker.example/p.gif", "http://tracker.example/p.gif", "//tracker.example/p.gif",
                                 "data:image/gif;base64,R0lGODlhAQABAAAAACw=", "javascript:alert(1)", "/\\\\evil.example"])
def test_external_images_lose_their_source(src):
    html = sanitize_html(f'<p>正文<img src="{src}" alt="图一"></p>')
    assert "src=" not in html and "图一" in html


def test_images_of_this_site_are_kept_as_paths(settings):
    settings.GONGKAI_SITE_URL = "https://gk.example.gov.cn"
    assert 'src="/attachment/3/"' in sanitize_html('<img src="/attachment/3/">')
    assert 'src="/attachment/4/"' in sanitize_html('<img src="https://gk.example.gov.cn/attachment/4/">')


def test_scripts_styles_and_handlers_are_removed():
    html = sanitize_html('<p style="x" onclick="a()">文<script>alert(1)</script><a href="javascript:x">链</a></p>')
    assert "script" not in html and "onclick" not in html and "style" not in html and "javascript" not in html
