"""One form per action of the detail page: validation, Chinese errors, the service's arguments."""

import datetime as dt

from django.urls import reverse

from gongkai.applications import forms, views
from gongkai.applications.models import Outcome, ReplyType

D = dt.date


def test_every_action_has_its_own_form_and_service():
    classes = [form_class for form_class, _service, _done in views.ACTIONS.values()]
    assert len(set(classes)) == len(classes)
    assert all(issubclass(c, forms.ActionForm) for c in classes)
    assert all(callable(service) for _c, service, _d in views.ACTIONS.values())


def test_assign_form_gives_the_user_or_none(handler, outsider):
    form = forms.AssignForm({"handler": str(handler.pk)}, handlers=[handler])
    assert form.is_valid() and form.service_kwargs() == {"handler": handler}
    form = forms.AssignForm({"handler": ""}, handlers=[handler])
    assert form.is_valid() and form.service_kwargs() == {"handler": None}
    form = forms.AssignForm({"handler": str(outsider.pk)}, handlers=[handler])
    assert not form.is_valid() and form.errors["handler"] == ["请从列表中选择该机关的经办人。"]


def test_consult_answer_form_maps_the_outcome(application, today):
    class Letter:
        ref, date, details = "Z1", D(2025, 9, 22), {"party_name": "某公司"}

    form = forms.ConsultAnswerForm({"on": "2025-09-22", "ref": "Z1", "outcome": "expired"}, letters=[Letter])
    assert form.is_valid()
    assert form.service_kwargs() == {"on": D(2025, 9, 22), "ref": "Z1", "answer": "", "expired": True}
    form = forms.ConsultAnswerForm({"on": "2025-09-22", "ref": "Z9", "outcome": "answered"}, letters=[Letter])
    assert not form.is_valid() and form.errors["ref"] == ["请选择一份尚未记录结果的征求意见函。"]


def test_dated_forms_refuse_a_future_day(today):
    for form_class in (forms.CorrectionExpiredForm, forms.FeePaidForm, forms.FeeExpiredForm):
        form = form_class({"on": "2999-01-01"})
        assert not form.is_valid() and form.errors["on"] == ["日期不能晚于今天。"]


def test_fee_and_determine_forms_give_the_service_arguments(db):
    fee = forms.FeeForm({"on": "2025-09-22", "standard": "per_page"})
    assert not fee.is_valid() and fee.errors["pages"] == ["按量计收须填写页数。"]
    fee = forms.FeeForm({"on": "2025-09-22", "standard": "per_page", "pages": "120", "units": "1"})
    assert fee.is_valid()
    assert fee.service_kwargs() == {"on": D(2025, 9, 22), "standard": "per_page", "pages": 120, "units": 1}
    det = forms.DetermineForm({"on": "2025-09-22", "outcome": Outcome.DISCLOSED, "already_public": "on",
                               "provided": "见网站"})
    assert det.is_valid(), det.errors
    kwargs = det.service_kwargs()
    assert kwargs["reply_type"] == ReplyType.ALREADY_PUBLIC and kwargs["provided"] == "见网站"
    assert "already_public" not in kwargs and kwargs["public_records"] == [] and kwargs["files"] == []


def test_unknown_action_is_404_and_refusal_keeps_the_form(client, handler, application, today):
    client.force_login(handler)
    assert client.post(reverse("applications:act", args=[application.pk, "delete"])).status_code == 404
    r = client.post(reverse("applications:act", args=[application.pk, "corrected"]), {"on": "2025-09-22", "text": "x"})
    # The service refuses (no correction was requested): the page comes back with the reason, nothing written.
    assert r.status_code == 400 and "补正" in r.content.decode()
    assert not application.events.filter(kind="corrected").exists()

