"""Template helpers of the public pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from gongkai.portal.a11y import modes_from_request

register = template.Library()


@register.simple_tag(takes_context=True)
def a11y_classes(context) -> str:
    """CSS classes of the <html> element for the visitor's 适老化/无障碍 choices."""
    request = context.get("request")
    return " ".join(f"a11y-{m}" for m in sorted(modes_from_request(request))) if request else ""


@register.simple_tag(takes_context=True)
def a11y_on(context) -> bool:
    request = context.get("request")
    return bool(request and modes_from_request(request))


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """The current query string with ``changes`` applied (``page`` dropped unless given)."""
    request = context["request"]
    params = request.GET.copy()
    if "page" not in changes:
        params.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = urlencode(sorted((k, v) for k, v in params.items() if v != ""))
    return "?" + encoded if encoded else "?"


@register.simple_tag
def select(field) -> str:
    """A filter form's <select>, rendered in Python (Django's widget templates cost a third of a list page)."""
    value = field.value()
    value = "" if value is None else str(value)
    options = "".join(
        f'<option value="{escape(k)}"{" selected" if str(k) == value else ""}>{escape(label)}</option>'
        for k, label in field.field.choices
    )
    return mark_safe(  # noqa: S308 - every piece above is escaped
        f'<select name="{escape(field.html_name)}" id="{escape(field.auto_id)}">{options}</select>'
    )


@register.simple_tag(takes_context=True)
def site_frame(context):
    """The site of the page (gongkai/portal/site.py): name, emblem, accent, navigation, footer frame."""
    from gongkai.portal.site import site_of_page

    if "_site_frame" not in context.render_context:
        context.render_context["_site_frame"] = site_of_page(context)
    return context.render_context["_site_frame"]


def book_title(title: str) -> str:
    """A title inside 《》: its own 《》 become 〈〉 (《关于印发〈…〉的通知》), as the rules of
    punctuation (GB/T 15834) write a title within a title."""
    return "《" + str(title).replace("《", "〈").replace("》", "〉") + "》"


register.filter("book_title", book_title)
