"""The history on the handler's page reads in Chinese: labels, names, dates."""

from django.urls import reverse

from gongkai.applications import services


def _history(page: str) -> str:
    return page.split("<h2>操作历史</h2>", 1)[1]


def test_history_names_people_and_labels_fields(client, handler, head, application, today):
    services.application_assign(actor=head, application=application, handler=handler)
    request = services.application_request_extension(actor=handler, application=application, workdays=10,
                                                     reason="资料较多")
    services.application_decide_extension(actor=head, request=request, approve=True)
    client.force_login(handler)
    history = _history(client.get(reverse("applications:detail", args=[application.pk])).content.decode())
    assert "分配经办人" in history and "经办人：（空） → 李经办" in history
    assert "答复期限：2025年10月24日 → 2025年11月7日" in history
    assert "王主任" in history and "李经办" in history
    for raw in ("handler：", "due_date", "2025-10-24", ">head<", ">handler<"):
        assert raw not in history
