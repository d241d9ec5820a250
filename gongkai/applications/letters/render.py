"""Render a letter: docxtpl over the organ's template (or the built-in one), then PDF.

PDF conversion is :mod:`gongkai.core.pdf` (LibreOffice headless, one lock, one
time limit); its errors reach the letter's callers as :class:`LetterError`.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2.sandbox import ImmutableSandboxedEnvironment

from gongkai.core import pdf

BUILTIN = Path(__file__).resolve().parent / "templates"


class LetterError(Exception):
    """A letter cannot be produced (Chinese message)."""


def builtin_template(kind: str) -> Path:
    return BUILTIN / f"{kind}.docx"


def sandboxed_environment() -> ImmutableSandboxedEnvironment:
    """The Jinja environment letters render in: sandboxed (no ``__globals__``, no private or
    mutating attributes) and without Jinja's globals (``cycler``, ``joiner``, ``namespace``,
    ``lipsum``, ``dict``): an organ's Word template can only print the letter's variables."""
    env = ImmutableSandboxedEnvironment(autoescape=True)
    env.globals = {"range": env.globals["range"]}
    return env


def render_docx(template: str | Path | io.BytesIO, context: dict[str, Any]) -> bytes:
    try:
        doc = DocxTemplate(template)
        doc.render(context, jinja_env=sandboxed_environment(), autoescape=True)
    except Exception as exc:  # a broken organ template must not lose the action
        raise LetterError(f"告知书模板无法使用：{exc}") from exc
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_to_pdf(data: bytes) -> bytes:
    """The letter as PDF; :class:`LetterError` (Chinese) if it cannot be made."""
    try:
        return pdf.docx_to_pdf(data)
    except pdf.PdfError as exc:
        raise LetterError(str(exc)) from exc
