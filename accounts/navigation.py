from django.utils.translation import gettext_lazy as _

from core.navigation import MenuItem, register_menu

from .enums import Role

register_menu(
    MenuItem(_("登录锁定"), "accounts:lockout-list", roles=frozenset({Role.SECURITY_ADMIN}), order=90),
    MenuItem(_("审计日志"), "core:audit-list", roles=frozenset({Role.AUDIT_ADMIN}), order=90),
)
