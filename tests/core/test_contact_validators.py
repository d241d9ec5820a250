"""Every public form checks a phone number and a postcode the same way (audit finding 6)."""

import pytest
from django.core.exceptions import ValidationError

from gongkai.core import validators

pytestmark = pytest.mark.django_db

BAD_PHONES = ["abc", "12345", "1380000123a", "１３８００００１２３４", "138-", "+", "1" * 16]


def test_phones():
    assert validators.clean_phone(" 138 0000 1234 ") == "13800001234"
    assert validators.clean_phone("010-12345678") == "010-12345678"
    assert validators.clean_phone("+8613800001234") == "+8613800001234"
    assert validators.clean_phone("") == ""
    for bad in BAD_PHONES:
        with pytest.raises(ValidationError):
            validators.clean_phone(bad)


def test_postcodes():
    assert validators.clean_postcode(" 100010 ") == "100010" and validators.clean_postcode("") == ""
    for bad in ["ab12", "12345", "1000100", "１０００１０", "10001a"]:
        with pytest.raises(ValidationError):
            validators.clean_postcode(bad)


def _public_forms(organ):
    from gongkai.applications.forms import PublicApplyForm
    from gongkai.participation.forms.consultations import CommentForm
    from gongkai.participation.forms.meetings import RegistrationForm
    from gongkai.participation.forms.messages import MessageForm
    from gongkai.participation.forms.places import CorrectionForm
    from tests.participation.conftest import make_consultation

    consultation = make_consultation(organ)
    return [
        lambda data: PublicApplyForm(data, organ=organ),
        lambda data: CommentForm(data, consultation=consultation),
        lambda data: RegistrationForm(data),
        lambda data: MessageForm(data, organ=organ),
        lambda data: CorrectionForm(data),
    ]


@pytest.mark.parametrize("phone", ["abc", "12345"])
def test_every_public_form_refuses_the_same_bad_phone(organ, phone):
    for make in _public_forms(organ):
        form = make({"phone": phone})
        assert not form.is_valid()
        assert form.errors.get("phone") == [validators.PHONE_ERROR], type(form).__name__


def test_every_public_form_takes_a_good_phone(organ):
    for make in _public_forms(organ):
        form = make({"phone": "010-12345678"})
        form.is_valid()
        assert "phone" not in form.errors, type(form).__name__


def test_the_apply_form_refuses_a_postcode_that_is_not_six_digits(organ):
    from gongkai.applications.forms import PublicApplyForm

    form = PublicApplyForm({"postcode": "ab12"}, organ=organ)
    assert not form.is_valid() and form.errors["postcode"] == [validators.POSTCODE_ERROR]
