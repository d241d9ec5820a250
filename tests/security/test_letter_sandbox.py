"""Finding 5: a Word letter template cannot run code on the server."""

import io

import docx
import pytest

from gongkai.applications import services
from gongkai.applications.letters.render import LetterError, builtin_template, render_docx
from gongkai.applications.services.letter_templates import sample_context


def _template(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('echo pwned').read() }}",
    "{{ organ_name.__class__.__mro__[1].__subclasses__() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
]


@pytest.mark.parametrize("text", ESCAPES)
def test_rendering_refuses_to_reach_python_internals(text):
    with pytest.raises(LetterError):
        render_docx(io.BytesIO(_template(text)), sample_context("receipt"))


@pytest.mark.parametrize("text", ESCAPES)
def test_an_uploaded_template_that_tries_is_refused(text):
    with pytest.raises(services.ApplicationActionError):
        services.letter_template_check(kind="receipt", name="回执.docx", data=_template(text))


def test_the_sandbox_still_renders_letters():
    data = render_docx(io.BytesIO(_template("{{ organ_name }}：{% for x in explanation %}{{ x }}；{% endfor %}")),
                       {"organ_name": "保定市测试局", "explanation": ["甲", "乙"]})
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "保定市测试局：甲；乙；" in text
    assert render_docx(builtin_template("receipt"), sample_context("receipt"))
