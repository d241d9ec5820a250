"""The concerns ledger's picker of response records (回应关切, 政策解读, 新闻发布会 of the ledger's organs)."""

from django import template

from ..selectors.meetings import concern_response_records

register = template.Library()


@register.simple_tag
def response_records(organs):
    return list(concern_response_records(organs))
