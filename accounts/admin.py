from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.http import client_ip
from core.identifiers import mask_phone
from core.models import AuditEvent, IssuedDocument, Notification

from .admin_site import RoleAdminMixin
from .enums import Role
from .exceptions import RoleError
from .models import User, UserRole
from .otp import otp_reset
from .services import check_role_grant, role_grant, role_revoke, user_deactivate, user_password_reset

# Permissions come from portal roles (UserRole), not from Django groups.
admin.site.unregister(Group)
# Two-factor devices are never edited by hand: users enrol on the OTP pages and the security
# administrator resets a lost device with the user admin's action (audited).
admin.site.unregister(StaticDevice)
admin.site.unregister(TOTPDevice)


@admin.register(User)
class UserAdmin(RoleAdminMixin, DjangoUserAdmin):
    """Accounts are kept by the system administrator; roles by the security administrator."""

    view_roles = frozenset({Role.SECURITY_ADMIN})
    change_roles = frozenset({Role.SYSTEM_ADMIN})
    list_display = ("username", "full_name", "email", "phone_masked", "is_active", "last_login")
    list_filter = ("is_active", "roles__role", "working_group_unit")
    search_fields = ("username", "full_name", "email")  # the phone is encrypted: not searchable
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "email", "phone", "working_group_unit")}),
        (_("状态"), {"fields": ("is_active", "last_login", "date_joined", "password_changed_at")}),
    )
    readonly_fields = ("last_login", "date_joined", "password_changed_at")
    actions = ["deactivate_users", "reset_two_factor"]

    @admin.display(description=_("手机号码"))
    def phone_masked(self, obj):
        return mask_phone(obj.phone)

    def save_model(self, request, obj, form, change):
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        if deactivating:
            obj.is_active = True  # the service does it, ending the sessions and writing the audit row
        super().save_model(request, obj, form, change)
        if deactivating:
            user_deactivate(user=obj, by=request.user, ip_address=client_ip(request))

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            user_password_reset(user=user, by=request.user, ip_address=client_ip(request))
        return response

    @admin.action(description=_("停用所选账号（立即结束其全部会话）"), permissions=["change"])
    def deactivate_users(self, request, queryset):
        for user in queryset.filter(is_active=True):
            user_deactivate(user=user, by=request.user, ip_address=client_ip(request))

    @admin.action(description=_("重置所选账号的双因素认证"), permissions=["reset_otp"])
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            otp_reset(user=user, by=request.user, ip_address=client_ip(request))

    def has_reset_otp_permission(self, request):
        return request.user.has_role(Role.SECURITY_ADMIN)


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
        obj.pk = role_grant(user=obj.user, role=obj.role, by=request.user, ip_address=client_ip(request)).pk

    def delete_model(self, request, obj):
        role_revoke(user=obj.user, role=obj.role, by=request.user, ip_address=client_ip(request))

    def delete_queryset(self, request, queryset):
        for grant in queryset.select_related("user"):
            role_revoke(user=grant.user, role=grant.role, by=request.user, ip_address=client_ip(request))


# --- core's models: the audit log, notifications and issued documents (core knows no role, so their
# admins, which open by role, are registered here) ---


@admin.register(AuditEvent)
class AuditEventAdmin(RoleAdminMixin, admin.ModelAdmin):
    """Read-only, and only for the audit administrator (三员分立)."""

    view_roles = frozenset({Role.AUDIT_ADMIN})
    change_roles = frozenset()
    list_display = ("created_at", "actor", "action", "target_type", "target_id", "summary", "ip_address")
    list_filter = ("action", "target_type", "created_at")
    search_fields = ("action", "summary", "target_id", "actor__username")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.register(Notification)
class NotificationAdmin(RoleAdminMixin, admin.ModelAdmin):
    view_roles = frozenset({Role.COMMISSION})
    change_roles = frozenset()
    list_display = ("created_at", "recipient", "title", "read_at")
    list_filter = ("read_at", "created_at")
    search_fields = ("title", "recipient__username")
    list_select_related = ("recipient",)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(RoleAdminMixin, admin.ModelAdmin):
    view_roles = frozenset({Role.COMMISSION})
    change_roles = frozenset()
    list_display = ("serial", "kind", "title", "issued_at", "issuer_name", "superseded_at")
    list_filter = ("kind", "issued_at", "superseded_at")
    search_fields = ("serial", "title")
    readonly_fields = ("token", "sha256")
