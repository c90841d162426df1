from django.contrib import admin

from accounts.enums import Role

from .admin_site import RoleAdminMixin
from .models import AuditEvent, IssuedDocument, Notification


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
