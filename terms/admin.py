from django.contrib import admin

from accounts.enums import Role
from core.admin_site import RoleAdminMixin

from .models import (
    AppointmentContact,
    CoManagementRecord,
    Completion,
    Evaluation,
    ExtensionRequest,
    SupportRequest,
    TermReport,
)

READ = frozenset({Role.TALENT_OFFICE})


class ReadOnlyStateMixin(RoleAdminMixin):
    """States change only through the services (the pages); the admin shows them read-only."""

    view_roles = READ
    readonly_fields = ("state",)


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = ("appointment", "months", "state", "requested_on", "new_end_date")
    list_filter = ("state",)
    readonly_fields = (
        "state",
        "appointment",
        "previous_end_date",
        "new_end_date",
        "decided_by",
        "decided_at",
    )


@admin.register(SupportRequest)
class SupportRequestAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = ("appointment", "kind", "medical_service", "state", "created_at")
    list_filter = ("kind", "state")


@admin.register(CoManagementRecord)
class CoManagementRecordAdmin(RoleAdminMixin, admin.ModelAdmin):
    view_roles = READ
    list_display = ("appointment", "held_on", "form", "participants")


@admin.register(AppointmentContact)
class AppointmentContactAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ("appointment", "side", "name", "phone")


@admin.register(TermReport)
class TermReportAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = ("appointment", "state", "confirmed_at")


@admin.register(Completion)
class CompletionAdmin(RoleAdminMixin, admin.ModelAdmin):
    view_roles = READ
    change_roles = frozenset()
    list_display = ("project", "accepted_on", "accepted_by")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = ("appointment", "state", "grade", "finalised_on")
