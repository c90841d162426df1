from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import RoleAdminMixin
from accounts.enums import Role
from core.identifiers import mask_phone

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
    search_fields = ("appointment__expert__name", "appointment__enterprise__name", "reason")
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
    list_filter = ("kind", "state", "medical_service")
    search_fields = ("appointment__expert__name", "beneficiary_name", "description")


@admin.register(CoManagementRecord)
class CoManagementRecordAdmin(RoleAdminMixin, admin.ModelAdmin):
    view_roles = READ
    list_display = ("appointment", "held_on", "form", "participants")
    list_filter = ("form", "topic_thoughts", "topic_work", "topic_life", "follow_up_done")
    search_fields = ("appointment__expert__name", "participants", "summary", "follow_up")


@admin.register(AppointmentContact)
class AppointmentContactAdmin(RoleAdminMixin, admin.ModelAdmin):
    # The phone is encrypted (no search on it) and masked in the list; the change form shows it in full.
    list_display = ("appointment", "side", "name", "phone_masked")
    list_filter = ("side",)
    search_fields = ("name", "appointment__expert__name", "appointment__enterprise__name")

    @admin.display(description=_("联系电话"))
    def phone_masked(self, obj):
        return mask_phone(obj.phone)


@admin.register(TermReport)
class TermReportAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = ("appointment", "state", "confirmed_at")
    list_filter = ("state",)
    search_fields = ("appointment__expert__name", "appointment__enterprise__name", "summary")


@admin.register(Completion)
class CompletionAdmin(RoleAdminMixin, admin.ModelAdmin):
    view_roles = frozenset({Role.COMMISSION})
    change_roles = frozenset()
    list_display = ("project", "accepted_on", "accepted_by")
    list_filter = ("accepted_on",)
    search_fields = ("project__title", "appointment__expert__name", "appointment__enterprise__name")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyStateMixin, admin.ModelAdmin):
    list_display = ("appointment", "state", "grade", "finalised_on")
    list_filter = ("state", "grade")
    search_fields = ("appointment__expert__name", "appointment__enterprise__name", "opinion")
