"""Django's own form messages in clear Chinese, through a real form (audit finding 7)."""

from django import forms


class _Form(forms.Form):
    subject = forms.CharField(max_length=100)
    email = forms.EmailField(required=False)


def test_too_long_text_bad_email_and_nul_in_plain_words():
    form = _Form({"subject": "字" * 100000, "email": "not-an-address"})
    assert not form.is_valid()
    assert form.errors["subject"] == ["最多 100 个字，现在 100000 个字。"]
    assert form.errors["email"] == ["请填写有效的电子邮箱地址。"]
    form = _Form({"subject": "a\x00b"})
    assert not form.is_valid() and form.errors["subject"] == ["不能包含空字符。"]
    assert _Form({}).errors["subject"] == ["此项必须填写。"]


def test_decimal_places_in_plain_words():
    class Coordinates(forms.Form):
        latitude = forms.DecimalField(max_digits=9, decimal_places=6)

    form = Coordinates({"latitude": "38.1234567"})
    assert not form.is_valid() and form.errors["latitude"] == ["小数点后最多 6 位。"]
