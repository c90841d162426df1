from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin_site import RoleAdminMixin

from .enums import Role
from .exceptions import RoleError
from .models import User, UserRole
from .services import check_role_grant, role_grant, role_revoke

# Permissions come from portal roles (UserRole), not from Django groups.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(RoleAdminMixin, DjangoUserAdmin):
    """Accounts are kept by the system administrator; roles by the security administrator."""

    view_roles = frozenset({Role.SECURITY_ADMIN})
    change_roles = frozenset({Role.SYSTEM_ADMIN})
    list_display = ("username", "full_name", "email", "phone", "is_active", "last_login")
    list_filter = ("is_active", "roles__role", "working_group_unit")
    search_fields = ("username", "full_name", "email", "phone")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "email", "phone", "working_group_unit")}),
        (_("状态"), {"fields": ("is_active", "last_login", "date_joined", "password_changed_at")}),
    )
    readonly_fields = ("last_login", "date_joined", "password_changed_at")


class UserRoleForm(forms.ModelForm):
    class Meta:
        model = UserRole
        fields = ("user", "role")

    def clean(self):
        data = super().clean()
        if data.get("user") and data.get("role"):
            try:
                check_role_grant(user=data["user"], role=data["role"])
            except RoleError as exc:
                raise ValidationError(str(exc)) from exc
        return data


@admin.register(UserRole)
class UserRoleAdmin(RoleAdminMixin, admin.ModelAdmin):
    view_roles = frozenset({Role.SYSTEM_ADMIN})
    change_roles = frozenset({Role.SECURITY_ADMIN})
    delete_roles = frozenset({Role.SECURITY_ADMIN})
    list_display = ("user", "role", "granted_at", "granted_by")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name")
    list_select_related = ("user", "granted_by")
    form = UserRoleForm
    autocomplete_fields = ("user",)

    def has_change_permission(self, request, obj=None):
        # A grant is added or revoked, never edited in place.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.pk = role_grant(user=obj.user, role=obj.role, by=request.user).pk

    def delete_model(self, request, obj):
        role_revoke(user=obj.user, role=obj.role, by=request.user)

    def delete_queryset(self, request, queryset):
        for grant in queryset.select_related("user"):
            role_revoke(user=grant.user, role=grant.role, by=request.user)
