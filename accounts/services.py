from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit

from .enums import ADMIN_ROLES, Role
from .exceptions import RoleError
from .models import User, UserRole, UserSession


def check_role_grant(*, user: User, role: str) -> None:
    """Raise RoleError when `user` may not also hold `role` (三员分立: one administrator role at most)."""
    role = Role(role)
    held = set(user.roles.values_list("role", flat=True)) - {role}
    if role in ADMIN_ROLES and held & ADMIN_ROLES:
        other = Role(next(iter(held & ADMIN_ROLES))).label
        message = _("三员分立：该用户已是“%(other)s”，不能再授予“%(role)s”。")
        raise RoleError(message % {"other": other, "role": role.label})


def role_grant(*, user: User, role: str, by: User | None, ip_address: str | None = None) -> UserRole:
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
        audit(by, "role.grant", user, summary=f"{user.username} + {role}", data={"role": role.value},
              ip_address=ip_address)
    user.__dict__.pop("role_set", None)
    return grant


def role_revoke(*, user: User, role: str, by: User | None, ip_address: str | None = None) -> None:
    with transaction.atomic():
        deleted, _n = UserRole.objects.filter(user=user, role=role).delete()
        if deleted:
            audit(by, "role.revoke", user, summary=f"{user.username} - {role}", data={"role": str(role)},
                  ip_address=ip_address)
    user.__dict__.pop("role_set", None)


def session_register(*, user: User, session_key: str, ip_address: str | None = None) -> None:
    """Remember that `session_key` belongs to `user` (called at login)."""
    UserSession.objects.update_or_create(
        session_key=session_key, defaults={"user": user, "ip_address": ip_address}
    )


def sessions_end(*, user: User, keep: str | None = None) -> int:
    """End every session of `user` except `keep`: the session data is deleted from the session store,
    so a stolen cookie is worthless at once. Returns how many sessions were ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = UserSession.objects.filter(user=user).exclude(session_key=keep or "")
    rows = list(sessions.values_list("pk", "session_key"))
    ended = 0
    for _pk, key in rows:
        session = store(session_key=key)
        if session.exists(key):
            session.delete()
            ended += 1
    UserSession.objects.filter(pk__in=[pk for pk, _key in rows]).delete()
    return ended


def session_end_one(*, user: User, session_pk: int, ip_address: str | None = None) -> bool:
    """End one of `user`'s own sessions (ASVS 3.3.4: users see and end their sessions); audited
    `session.end`. False when the session is not theirs or already gone."""
    row = UserSession.objects.filter(user=user, pk=session_pk).first()
    if row is None:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store(session_key=row.session_key).delete()
    row.delete()
    audit(user, "session.end", user, summary=f"{row.created_at:%Y-%m-%d %H:%M} {row.ip_address or ''}",
          ip_address=ip_address)
    return True


def user_password_changed(*, user: User, by: User | None = None, keep_session: str | None = None,
                          ip_address: str | None = None) -> None:
    """Record a password change: the time (for the 90-day rule), an audit row, and the end of every
    other session of the user (ASVS 3.3.3)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now())
        ended = sessions_end(user=user, keep=keep_session)
        if keep_session:
            session_register(user=user, session_key=keep_session, ip_address=ip_address)
        audit(by or user, "user.password_change", user, data={"sessions_ended": ended}, ip_address=ip_address)


def user_password_reset(*, user: User, by: User, ip_address: str | None = None) -> None:
    """An administrator set `user`'s password: every session of the user ends, and the user must choose
    a new password at the next login (password_changed_at is cleared; see the 90-day rule)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(password_changed_at=None)
        ended = sessions_end(user=user)
        audit(by, "user.password_reset", user, summary=user.username, data={"sessions_ended": ended},
              ip_address=ip_address)


def user_deactivate(*, user: User, by: User | None, ip_address: str | None = None) -> None:
    """Stop an account: it can no longer log in and all its sessions end now."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        ended = sessions_end(user=user)
        audit(by, "user.deactivate", user, summary=user.username, data={"sessions_ended": ended},
              ip_address=ip_address)
    user.__dict__.pop("role_set", None)


def lockout_release(*, username: str, ip: str, by: User, ip_address: str | None = None) -> int:
    """Unlock a username+IP pair locked by repeated failures (the security administrator's duty)."""
    from axes.utils import reset

    if not by.has_role(Role.SECURITY_ADMIN):
        raise PermissionError("only the security administrator may unlock logins")
    with transaction.atomic():
        removed = reset(ip=ip, username=username)
        audit(by, "login.unlock", summary=f"{username} @ {ip}", data={"username": username, "ip": ip},
              ip_address=ip_address)
    return removed
