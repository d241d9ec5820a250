"""A form submission retried with the same key is answered once and written once."""

import pytest
from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory

from gongkai.ops.idempotency import IdempotencyMiddleware, idempotency_prune
from gongkai.ops.models import IdempotencyKey

pytestmark = pytest.mark.django_db


def make(answers):
    calls = []

    def view(request):
        calls.append(request.POST.get("title"))
        IdempotencyKey.objects.count()  # the view's own writes share the transaction
        return answers.pop(0)

    return IdempotencyMiddleware(view), calls


def test_a_retried_submission_gets_the_first_answer_and_runs_once():
    middleware, calls = make([HttpResponseRedirect("/apply/receipt/GK1/")])
    rf = RequestFactory()
    first = middleware(rf.post("/apply/", {"title": "甲", "idempotency_key": "key-12345678"}))
    again = middleware(rf.post("/apply/", {"title": "甲"}, HTTP_IDEMPOTENCY_KEY="key-12345678"))
    assert first.status_code == again.status_code == 302
    assert again["Location"] == "/apply/receipt/GK1/" and again["Idempotent-Replay"] == "true"
    assert calls == ["甲"]


def test_a_refused_submission_can_be_sent_again_corrected():
    middleware, calls = make([HttpResponse("表单有误", status=400), HttpResponseRedirect("/done/")])
    rf = RequestFactory()
    assert middleware(rf.post("/apply/", {"title": "", "idempotency_key": "key-abcdefgh"})).status_code == 400
    assert middleware(rf.post("/apply/", {"title": "乙", "idempotency_key": "key-abcdefgh"})).status_code == 302
    assert calls == ["", "乙"]


def test_posts_without_a_key_are_untouched_and_old_keys_are_pruned():
    import datetime as dt

    from django.utils import timezone

    middleware, calls = make([HttpResponseRedirect("/a/"), HttpResponseRedirect("/b/")])
    rf = RequestFactory()
    middleware(rf.post("/apply/", {"title": "丙"}))
    middleware(rf.post("/apply/", {"title": "丙"}))
    assert calls == ["丙", "丙"] and not IdempotencyKey.objects.exists()
    IdempotencyKey.objects.create(key="old-key-123", path="/apply/", status=302)
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(days=8))
    assert idempotency_prune() == 1


def test_an_error_page_after_the_views_writes_leaves_nothing_behind():
    from gongkai.core.models import Organ

    def view(request):
        Organ.objects.create(name="半途而废局", code="11130600HALF0000X")
        return HttpResponse("服务器错误", status=500)

    rf = RequestFactory()
    assert IdempotencyMiddleware(view)(rf.post("/apply/", {"idempotency_key": "key-half-done"})).status_code == 500
    assert not Organ.objects.filter(code="11130600HALF0000X").exists()
    assert not IdempotencyKey.objects.exists()
