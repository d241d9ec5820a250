"""Submitting once: a one-time token in every public form (docs/applications.md, “只提交一次”).

A double click or a form sent again must not create a second application, message or
comment. Each public form carries a random token (:class:`OnceFormMixin`); the view
hands it to :func:`submit_once` with a function that creates the thing. The token is
stored uniquely (:class:`~gongkai.core.models.SubmissionToken`) with what it created,
in the same transaction as the creation, so

* the first POST creates the thing and records ``token → ref``;
* any repeat of that POST (sequential or concurrent) finds the row and gets the first
  ``ref`` back with ``repeated=True``: the view sends it to the first receipt.

Concurrent repeats wait for the first: on PostgreSQL the second INSERT of the same token
blocks on the unique index until the first transaction ends; on SQLite write
transactions are serialised (IMMEDIATE). A form without a token (an old page, a script)
is processed as before, without the guarantee.

Why not the ``Idempotency-Key`` middleware (:mod:`gongkai.ops.idempotency`) for forms too: both make a
POST happen once, but for different callers. The middleware serves API clients and scripts: it wraps
the whole request in one transaction and replays the stored response byte for byte. For a public form
that would (1) hold the write transaction through form validation and rendering — on SQLite, whose
writers queue one at a time, that is the whole request serialised; here only the creation is;
(2) replay a redirect without the session grant, while after a double click the browser keeps only
the second answer, which must itself grant the receipt (the view grants on a repeat); (3) not tell a
token of another form from a repeat (``purpose``). So forms use this module, the API the middleware;
a request may carry both (the middleware then answers a repeat before the view runs).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db import IntegrityError, transaction

from .models import SubmissionToken

__all__ = [
    "TOKEN_FIELD",
    "Once",
    "OnceFormMixin",
    "SubmissionTokenError",
    "new_submission_token",
    "submit_once",
]

TOKEN_FIELD = "submission_token"  # noqa: S105 - a form field name, not a secret
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class SubmissionTokenError(ValueError):
    """The token was already used for another kind of form (message in Chinese)."""


def new_submission_token() -> str:
    """A fresh token for one rendering of a form."""
    return secrets.token_urlsafe(24)


class OnceFormMixin:
    """Adds the hidden one-time token to a form; render it with ``form.hidden_fields``.

    Put it first among the bases: ``class MyForm(OnceFormMixin, forms.Form)``.
    A bound form keeps the posted token, so a form re-shown after an error still
    belongs to the same submission.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=new_submission_token
        )

    def clean_submission_token(self) -> str:
        value = (self.cleaned_data.get(TOKEN_FIELD) or "").strip()
        if value and not _TOKEN_RE.match(value):
            # A hidden field's error would not be shown: say it above the form.
            self.add_error(None, "表单已失效，请刷新页面后重新提交。")
            self.data = self.data.copy()
            self.data[TOKEN_FIELD] = new_submission_token()
            return ""
        return value

    @property
    def submission_token(self) -> str:
        """The cleaned token ("" when the form came without one)."""
        return self.cleaned_data.get(TOKEN_FIELD, "")


@dataclass(frozen=True)
class Once:
    """What a submission led to: the reference of the created thing, and whether it was a repeat."""

    ref: str
    repeated: bool


@transaction.atomic
def submit_once(*, token: str, purpose: str, create: Callable[[], str]) -> Once:
    """Run ``create`` (which returns a reference, e.g. a tracking code) once per ``token``.

    Call inside or outside a transaction; ``create`` and the token row commit together,
    so a failure in ``create`` leaves the token unused and the form can be sent again.
    """
    if not token:
        return Once(ref=create(), repeated=False)
    try:
        with transaction.atomic():
            row = SubmissionToken.objects.create(token=token, purpose=purpose)
    except IntegrityError:
        prior = SubmissionToken.objects.get(token=token)
        if prior.purpose != purpose:
            raise SubmissionTokenError("表单已失效，请刷新页面后重新提交。") from None
        return Once(ref=prior.ref, repeated=True)
    ref = create()
    row.ref = ref
    row.save(update_fields=["ref"])
    return Once(ref=ref, repeated=False)
