"""Who may do what, in one place.

Every view and service asks :func:`can` (one organ) or :func:`organs_where`
(the organs where a user may do something). A permission is granted by a role
held in an organ; the 公开办 roles also reach every organ below their own.
Platform admins (``is_superuser``) may do everything.
"""

from __future__ import annotations

from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .models import Membership, Organ, Role


class Perm(StrEnum):
    RECORD_VIEW = "record.view"          # see drafts and internal records of the organ
    RECORD_DRAFT = "record.draft"        # write and edit drafts, submit them
    RECORD_REVIEW = "record.review"      # confidentiality review, approve, send back
    RECORD_PUBLISH = "record.publish"    # publish an approved record, schedule it
    RECORD_WITHDRAW = "record.withdraw"  # withdraw a published record
    RECORD_REDETERMINE = "record.redetermine"  # propose turning 依申请/不予公开 into 主动公开
    APPLICATION_HANDLE = "application.handle"
    APPLICATION_APPROVE_EXTENSION = "application.approve_extension"
    ORGAN_OVERSEE = "organ.oversee"      # catalog, reports, work plans of the organ
    MESSAGE_HANDLE = "message.handle"    # see the organ's messages with the senders' data, assign, transfer, draft replies
    MESSAGE_REVIEW = "message.review"    # review a reply before it is sent and published
    ANSWER_DRAFT = "answer.draft"        # write 口径库 entries and submit them
    ANSWER_REVIEW = "answer.review"      # review (审核) 口径库 entries


# Role → permissions in the organ where the role is held.
ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.EDITOR: frozenset(
        {Perm.RECORD_VIEW, Perm.RECORD_DRAFT, Perm.RECORD_REDETERMINE, Perm.MESSAGE_HANDLE, Perm.ANSWER_DRAFT}
    ),
    Role.REVIEWER: frozenset(
        {Perm.RECORD_VIEW, Perm.RECORD_REVIEW, Perm.RECORD_PUBLISH, Perm.RECORD_WITHDRAW,
         Perm.MESSAGE_REVIEW, Perm.ANSWER_REVIEW}
    ),
    Role.HANDLER: frozenset({Perm.APPLICATION_HANDLE, Perm.MESSAGE_HANDLE}),
    Role.OFFICE: frozenset(
        {
            Perm.RECORD_VIEW,
            Perm.RECORD_REDETERMINE,
            Perm.RECORD_WITHDRAW,
            Perm.APPLICATION_HANDLE,
            Perm.ORGAN_OVERSEE,
            Perm.MESSAGE_HANDLE,
            Perm.ANSWER_DRAFT,
        }
    ),
    Role.OFFICE_HEAD: frozenset(
        {
            Perm.RECORD_VIEW,
            Perm.RECORD_REDETERMINE,
            Perm.RECORD_WITHDRAW,
            Perm.APPLICATION_HANDLE,
            Perm.APPLICATION_APPROVE_EXTENSION,
            Perm.ORGAN_OVERSEE,
            Perm.MESSAGE_HANDLE,
            Perm.MESSAGE_REVIEW,
            Perm.ANSWER_DRAFT,
            Perm.ANSWER_REVIEW,
        }
    ),
}
# Roles whose permissions also reach every organ below the organ where they are held.
OVERSIGHT_ROLES = frozenset({Role.OFFICE, Role.OFFICE_HEAD})


def _roles_granting(perm: Perm) -> list[str]:
    return [role for role, perms in ROLE_PERMS.items() if perm in perms]


def organs_where(user, perm: Perm):
    """The organs in which ``user`` holds ``perm`` (a queryset)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organ.objects.none()
    if user.is_superuser:
        return Organ.objects.all()
    roles = _roles_granting(perm)
    direct = Membership.objects.filter(user=user, role__in=roles)
    ids = set(direct.values_list("organ_id", flat=True))
    oversight = direct.filter(role__in=OVERSIGHT_ROLES).select_related("organ")
    qs = Organ.objects.filter(pk__in=ids)
    for m in oversight:
        qs = qs | Organ.objects.filter(path__startswith=m.organ.path)
    return qs.distinct()


def can(user, perm: Perm, organ: Organ | None) -> bool:
    if organ is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = _roles_granting(perm)
    memberships = Membership.objects.filter(user=user, role__in=roles).select_related("organ")
    for m in memberships:
        if m.organ_id == organ.pk:
            return True
        if m.role in OVERSIGHT_ROLES and organ.path.startswith(m.organ.path):
            return True
    return False


def require(user, perm: Perm, organ: Organ | None) -> None:
    """Raise PermissionDenied (shown as a Chinese 403 page) unless ``user`` may."""
    if not can(user, perm, organ):
        raise PermissionDenied("您没有在该机关执行此操作的权限。")


def is_staff_user(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or Membership.objects.filter(user=user).exists())
    )


def staff_required(view):
    """View decorator: a signed-in user with a role in at least one organ (or a platform admin)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_user(request.user):
            raise PermissionDenied("您的账号没有任何机关的工作角色，请联系平台管理员授权。")
        return view(request, *args, **kwargs)

    return wrapper
