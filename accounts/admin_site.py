from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

from accounts.enums import ADMIN_ROLES, Role


class PortalAdminSite(admin.AdminSite):
    site_header = _("昌平区“科技副总”平台管理后台")
    site_title = _("科技副总平台管理")
    index_title = _("数据管理")

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_authenticated and user.has_role(Role.COMMISSION, *ADMIN_ROLES)


class PortalAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.PortalAdminSite"


class RoleAdminMixin:
    """Admin permissions by portal role. Business records are never deleted in the admin;
    state changes go through admin actions that call the services."""

    view_roles: frozenset[str] = frozenset()
    change_roles: frozenset[str] = frozenset({Role.COMMISSION})
    add_roles: frozenset[str] | None = None  # defaults to change_roles
    delete_roles: frozenset[str] = frozenset()

    def has_view_permission(self, request, obj=None):
        return request.user.has_role(*(self.view_roles | self.change_roles))

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.has_role(*self.change_roles)

    def has_add_permission(self, request, *args):
        roles = self.change_roles if self.add_roles is None else self.add_roles
        return request.user.has_role(*roles)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_role(*self.delete_roles)
