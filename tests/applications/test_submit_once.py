"""Submitting once: the one-time token makes a repeated POST lead to the first receipt."""

import re

import pytest
from django.urls import reverse

from gongkai.applications.models import Application, SubmissionLog
from gongkai.core.idempotency import submit_once
from gongkai.core.models import SubmissionToken

from .test_views import apply_url, form_data  # noqa: F401 - the fixture is used by name

TOKEN_RE = re.compile(r'name="submission_token" value="([^"]+)"')


def token_from(page: str) -> str:
    match = TOKEN_RE.search(page)
    assert match, "the form carries no one-time token"
    return match.group(1)


def test_the_form_carries_a_fresh_token_and_the_script(client, apply_url, today):  # noqa: F811
    first = client.get(apply_url).content.decode()
    second = client.get(apply_url).content.decode()
    assert token_from(first) != token_from(second)
    assert "core/submit-once" in first and "<script>" not in first  # a static file, no inline script


def test_a_repeated_post_leads_to_the_first_receipt(client, apply_url, today):  # noqa: F811
    token = token_from(client.get(apply_url).content.decode())
    first = client.post(apply_url, form_data(submission_token=token), REMOTE_ADDR="10.1.1.1")
    again = client.post(apply_url, form_data(submission_token=token), REMOTE_ADDR="10.1.1.1")
    app = Application.objects.get()
    assert first.status_code == again.status_code == 302
    assert first.url == again.url == reverse("applications:receipt", args=[app.tracking_code])
    assert app.letters.filter(kind="receipt").count() == 1
    assert SubmissionLog.objects.count() == 1
    assert SubmissionToken.objects.get(token=token).ref == app.tracking_code
    # Another browser replaying the same POST (it holds the token) reaches the same receipt.
    other = client.__class__()
    replay = other.post(apply_url, form_data(submission_token=token), REMOTE_ADDR="10.1.1.2")
    assert replay.url == first.url and other.get(replay.url).status_code == 200


def test_a_failed_submission_leaves_the_token_unused(client, apply_url, today):  # noqa: F811
    token = token_from(client.get(apply_url).content.decode())
    bad = client.post(apply_url, form_data(submission_token=token, name=""), REMOTE_ADDR="10.1.1.1")
    assert bad.status_code == 400 and token_from(bad.content.decode()) == token
    assert not SubmissionToken.objects.exists()
    good = client.post(apply_url, form_data(submission_token=token), REMOTE_ADDR="10.1.1.1")
    assert good.status_code == 302 and Application.objects.count() == 1


def test_a_broken_token_is_a_clear_error(client, apply_url, today):  # noqa: F811
    r = client.post(apply_url, form_data(submission_token="<script>"), REMOTE_ADDR="10.1.1.1")
    assert r.status_code == 400 and "表单已失效" in r.content.decode()
    assert not Application.objects.exists()


def test_a_token_of_another_form_is_refused(db):
    assert submit_once(token="t" * 20, purpose="message", create=lambda: "M1").ref == "M1"
    with pytest.raises(ValueError, match="表单已失效"):
        submit_once(token="t" * 20, purpose="application", create=lambda: "GK1")


def test_the_creation_and_the_token_roll_back_together(db):
    def create():
        SubmissionToken.objects.create(token="other-token-123456", purpose="x", ref="made")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        submit_once(token="u" * 20, purpose="application", create=create)
    assert not SubmissionToken.objects.exists()


def test_the_receipt_in_a_new_session_asks_for_the_check_with_the_code_filled(client, application):
    url = reverse("applications:receipt", args=[application.tracking_code])
    r = client.get(url)
    assert r.status_code == 302 and r.url.startswith(reverse("applications:track"))
    page = client.get(r.url).content.decode()
    assert f'value="{application.tracking_code}"' in page


def test_the_form_suggests_published_records_and_caps_the_description(client, apply_url, today):  # noqa: F811
    page = client.get(apply_url).content.decode()
    assert 'data-apply-suggest="/search/api/"' in page and "applications/apply.js" in page
    assert 'maxlength="2000"' in page and "data-counter" in page
    r = client.post(apply_url, form_data(description="长" * 2001), REMOTE_ADDR="10.1.1.1")
    assert r.status_code == 400 and "内容描述不能超过 2000 字" in r.content.decode()
    assert not Application.objects.exists()


def test_provisional_mark_only_while_the_clock_runs(client, organ, handler, today):
    import datetime as dt

    from gongkai.applications import services

    from .conftest import applicant_data

    today.set(dt.date(2026, 12, 14))  # the due date falls in 2027, whose schedule is not published
    app = services.application_submit(organ=organ, data=applicant_data())
    client.post(reverse("applications:track"), {"code": app.tracking_code, "check": "5678"})
    url = reverse("applications:track_detail", args=[app.tracking_code])
    page = client.get(url).content.decode()
    assert "（暂定）" in page and "放假办法" in page  # the explanation says how 2027 was counted
    services.application_determine(actor=handler, application=app, on=today.day, outcome="r3_1")
    assert "<strong>（暂定）</strong>" not in client.get(url).content.decode()


def test_no_waiver_box_unless_configured_and_id_type_defaults(client, apply_url, settings, today):  # noqa: F811
    page = client.get(apply_url).content.decode()
    assert "fee_waiver_requested" not in page
    assert '<option value="resident_id" selected>' in page
    assert client.post(apply_url, form_data(), REMOTE_ADDR="10.1.1.9").status_code == 302
    settings.GONGKAI_FEE_WAIVER_ON_FORM = True
    assert "未规定减免情形" in client.get(apply_url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_session_grant_commits_with_the_application(client, organ, today):
    """Nothing of a submission is written after its commit: the session grant is in the same
    transaction as the application (only the letter job comes after it, and it cannot fail the
    answer), and the browser still gets its session cookie and the receipt."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("applications:apply_organ", kwargs={"code": organ.code})
    token = token_from(client.get(url).content.decode())
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, form_data(submission_token=token), REMOTE_ADDR="10.1.1.1")
    app = Application.objects.get()
    assert response.status_code == 302 and response.cookies["sessionid"].value
    sql = [q["sql"] for q in captured.captured_queries]
    commit = next(i for i, s in enumerate(sql) if s == "COMMIT" and any(
        'INSERT INTO "applications_application"' in earlier for earlier in sql[:i]))
    session_writes = [i for i, s in enumerate(sql) if s.startswith(("INSERT INTO \"django_session\"",
                                                                     "UPDATE \"django_session\""))]
    assert session_writes and all(i < commit for i in session_writes)
    after = [s for s in sql[commit + 1:] if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    # only the letter job: queued, or run at once where the task backend is immediate (as in tests)
    assert all('"django_tasks_database_dbtaskresult"' in s or 'UPDATE "applications_letter" SET "docx"' in s
               for s in after), after
    receipt = client.get(response.url)
    assert receipt.status_code == 200 and app.tracking_code in receipt.content.decode()
