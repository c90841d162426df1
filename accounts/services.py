from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit

from .enums import ADMIN_ROLES, Role
from .exceptions import RoleError
from .models import User, UserRole


def check_role_grant(*, user: User, role: str) -> None:
    """Raise RoleError when `user` may not also hold `role` (三员分立: one administrator role at most)."""
    role = Role(role)
    held = set(user.roles.values_list("role", flat=True)) - {role}
    if role in ADMIN_ROLES and held & ADMIN_ROLES:
        other = Role(next(iter(held & ADMIN_ROLES))).label
        message = _("三员分立：该用户已是“%(other)s”，不能再授予“%(role)s”。")
        raise RoleError(message % {"other": other, "role": role.label})


def role_grant(*, user: User, role: str, by: User | None) -> UserRole:
    """Give `user` a role; the three administrator roles exclude each other (三员分立)."""
    role = Role(role)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        existing = user.roles.filter(role=role).first()
        if existing:
            return existing
        check_role_grant(user=user, role=role)
        try:
            with transaction.atomic():
                grant = UserRole.objects.create(user=user, role=role, granted_by=by)
        except IntegrityError as exc:
            raise RoleError(_("角色授予失败：与现有角色冲突。")) from exc
        audit(by, "role.grant", user, summary=f"{user.username} + {role}")
    user.__dict__.pop("role_set", None)
    return grant


def role_revoke(*, user: User, role: str, by: User | None) -> None:
    with transaction.atomic():
        deleted, _n = UserRole.objects.filter(user=user, role=role).delete()
        if deleted:
            audit(by, "role.revoke", user, summary=f"{user.username} - {role}")
    user.__dict__.pop("role_set", None)


def user_password_changed(*, user: User) -> None:
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now())
    audit(user, "user.password_change", user)
