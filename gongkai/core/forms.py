"""What every public form shares: a honeypot field and, once a client has submitted a few times,
a small sum to answer (:class:`gongkai.core.throttle.Throttle` makes and checks it).

A form declares the fields itself (``website``, ``challenge_answer``, ``challenge_token``) and
mixes in :class:`GuardedFormMixin` with its ``throttle``.
"""

from __future__ import annotations

from django import forms

from .throttle import Throttle


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
