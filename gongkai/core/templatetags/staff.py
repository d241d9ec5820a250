"""Staff templates: what the signed-in person may use, so the navigation offers nothing that ends in a 403."""

from __future__ import annotations

from django import template

from gongkai.core.models import Membership
from gongkai.core.permissions import ROLE_PERMS, Perm

register = template.Library()


def perms_anywhere(user) -> frozenset[str]:
    """Every permission ``user`` holds in at least one organ (all of them for a platform admin)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(p.value for p in Perm) | {"platform.admin"}
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return frozenset(p.value for role in roles for p in ROLE_PERMS.get(role, ()))


@register.simple_tag(takes_context=True)
def staff_perms(context) -> frozenset[str]:
    """``{% staff_perms as perms %}`` then ``{% if "record.review" in perms %}``."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    cache = context.render_context
    if "_staff_perms" not in cache:
        cache["_staff_perms"] = perms_anywhere(user)
    return cache["_staff_perms"]
