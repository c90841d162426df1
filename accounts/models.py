from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedPhoneField

from .enums import ADMIN_ROLES, ROLE_PRIORITY, Role, WorkingGroupUnit


class User(AbstractUser):
    """A portal user. Membership of an institution or enterprise lives in those apps."""

    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = EncryptedPhoneField(_("手机号码"), max_length=20, blank=True)
    working_group_unit = models.CharField(
        _("专项工作组成员单位"), max_length=10, choices=WorkingGroupUnit.choices, blank=True
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def role_set(self) -> frozenset[str]:
        if not self.is_authenticated or not self.is_active or self.pk is None:
            return frozenset()
        return frozenset(self.roles.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return any(r in self.role_set for r in roles)

    @property
    def primary_role(self) -> str | None:
        return next((r for r in ROLE_PRIORITY if r in self.role_set), None)

    @property
    def ordered_roles(self) -> list[Role]:
        return [Role(r) for r in ROLE_PRIORITY if r in self.role_set]


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("用户"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("授予人")
    )

    class Meta:
        verbose_name = verbose_name_plural = _("用户角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="userrole_unique_per_user"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="userrole_role_valid"),
            # 三员分立: at most one of the three administrator roles per person.
            models.UniqueConstraint(
                fields=["user"], condition=Q(role__in=sorted(ADMIN_ROLES)), name="userrole_one_admin_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class UserSession(models.Model):
    """Which sessions belong to which user, so that logout, deactivation and a password change can end
    all of them (等保 2.0 8.1.4.1 d). Written at login; rows go when their sessions are ended."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("用户"))
    session_key = models.CharField(_("会话键"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("登录时间"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("登录会话")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"
