from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag(takes_context=True)
def search_url(context, **changes):
    """This page's query string with ``changes`` applied (None or "" removes a parameter); page resets unless given."""
    params = context["request"].GET.copy()
    if "page" not in changes:
        params.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.simple_tag(takes_context=True)
def facet_url(context, param, value):
    return search_url(context, **{param: value})


@register.filter
def marked(snippet):
    """A Snippet as HTML: hits in <mark>, everything escaped."""
    if snippet is None:
        return ""
    body = format_html_join("", "{}", ((format_html("<mark>{}</mark>", t) if hit else t,) for t, hit in snippet.parts))
    return format_html("{}{}{}", "…" if snippet.before else "", body, "…" if snippet.after else "")
