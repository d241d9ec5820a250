"""Filters for staff pages shown to staff who do not handle the item (the offices above): names masked."""

from django import template

from gongkai.core.masking import mask_known_name, mask_text

register = template.Library()


@register.filter
def mask_name(name: str) -> str:
    """张三 → 张某; 匿名 stays 匿名."""
    return name if name == "匿名" else mask_known_name(name)


@register.filter
def masked(text: str, name: str = "") -> str:
    """Free text with numbers, e-mail addresses and the given name removed."""
    return mask_text(text or "", names=[name] if name else [])
