"""What every public form shares: a honeypot field and, once a client has submitted a few times,
a small sum to answer (:class:`gongkai.core.throttle.Throttle` makes and checks it); and the
searchable organ tree of the forms that address one organ among hundreds.

A form declares the fields itself (``website``, ``challenge_answer``, ``challenge_token``) and
mixes in :class:`GuardedFormMixin` with its ``throttle``.

An organ field uses :func:`organ_tree_field_setup` (an :class:`OrganTreeSelect` with indented
choices whose options carry their tree path); the page adds ``core/_organ_picker.html`` before the
field and ``core/organ-tree.js``, which filters the options by name and keeps their ancestors.
Without the script the field is a plain, indented select.
"""

from __future__ import annotations

from django import forms

from .throttle import Throttle


class OrganTreeSelect(forms.Select):
    """A select whose options carry their tree path, so the page's script can filter and keep ancestors."""

    def __init__(self, *args, paths: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.paths = paths or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.paths:
            option["attrs"]["data-path"] = self.paths[str(value)]
        return option


def _indented(organ) -> str:
    return "\u3000" * max(0, organ.path.count("/") - 2) + organ.name


def organ_tree_choices(organs) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """``(paths, choices)`` for organs in tree order: each name indented by its depth."""
    organs = list(organs)
    return {str(o.pk): o.path for o in organs}, [(o.pk, _indented(o)) for o in organs]


def organ_tree_field_setup(field: forms.ChoiceField, organs, *, empty_label: str) -> None:
    """Make ``field`` a searchable organ tree: a ChoiceField gets ``organs`` (in tree order) as its
    choices; a ModelChoiceField keeps its queryset (``organs``), its labels indented by depth."""
    paths, choices = organ_tree_choices(organs)
    field.widget = OrganTreeSelect(paths=paths, attrs={"data-organ-tree": "1"})
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = empty_label
        field.label_from_instance = _indented
        field.widget.choices = field.choices
    else:
        field.choices = [("", empty_label), *choices]


class GuardedFormMixin:
    throttle: Throttle
    challenge: tuple[str, str] | None = None

    def set_challenge(self, challenge: tuple[str, str] | None) -> None:
        """Show the question (``challenge``: question and signed token), or drop its fields."""
        self.challenge = challenge
        if challenge is None:
            del self.fields["challenge_answer"]
            del self.fields["challenge_token"]
            return
        answer = self.fields["challenge_answer"]
        answer.label = f"验证问题：{challenge[0]}"
        answer.required = True
        answer.error_messages["required"] = "请回答验证问题。"
        self.initial["challenge_token"] = challenge[1]
        if self.is_bound:  # the question shown is the one checked, whatever token came back
            data = self.data.copy()
            data["challenge_token"] = challenge[1]
            self.data = data

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("提交未成功，请刷新页面后重试。")
        return ""

    def check_challenge(self, data: dict) -> None:
        """Call from ``clean``: a wrong answer is a field error."""
        if self.challenge is not None and not self.throttle.check_challenge(
                self.data.get("challenge_token", ""), data.get("challenge_answer") or ""):
            self.add_error("challenge_answer", "验证问题回答不正确，请重新计算。")
