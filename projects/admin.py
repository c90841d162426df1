from django.contrib import admin

from accounts.admin_site import RoleAdminMixin
from accounts.enums import Role

from .models import (
    Agreement,
    Appointment,
    AppointmentTransition,
    Filing,
    Objection,
    Project,
    ProjectTransition,
    ReviewAssignment,
    Reviewer,
    ReviewRound,
    ReviewRoundTransition,
    RubricCriterion,
    Score,
)


class ReadOnlyAdmin(RoleAdminMixin, admin.ModelAdmin):
    """Workflow records: states change through the portal's services, never by editing rows here."""

    change_roles = frozenset()
    view_roles = frozenset({Role.COMMISSION})

    def has_add_permission(self, request, *args):
        return False


@admin.register(Reviewer)
class ReviewerAdmin(RoleAdminMixin, admin.ModelAdmin):
    """The reviewer pool is maintained here by the commission (enterprise links feed the conflict checks)."""

    list_display = ("name", "workplace", "title", "capacity", "active")
    list_filter = ("active", "institution")
    search_fields = ("name", "institution_name", "institution__name", "expertise")
    autocomplete_fields = ("user",)
    raw_id_fields = ("expert", "institution")
    filter_horizontal = ("enterprises",)


class CriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 0


@admin.register(ReviewRound)
class ReviewRoundAdmin(ReadOnlyAdmin):
    list_display = ("name", "period_start", "period_end", "deadline", "state")
    list_filter = ("state", "uses_notice")
    search_fields = ("name",)
    inlines = [CriterionInline]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("title", "enterprise", "expert", "state", "round", "total_funds", "review_score")
    list_filter = ("state", "social_science", "position", "round")
    search_fields = ("title", "enterprise__name", "expert__name")
    view_roles = frozenset({Role.COMMISSION, Role.TALENT_OFFICE})


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("project", "reviewer", "round", "state", "total", "submitted_at")
    list_filter = ("state", "round")
    search_fields = ("project__title", "reviewer__name")


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "criterion", "points")
    list_filter = ("criterion__round",)
    search_fields = ("assignment__project__title", "assignment__reviewer__name")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("project", "objector_name", "state", "created_at", "resolved_at")
    list_filter = ("state",)
    search_fields = ("project__title", "objector_name")


@admin.register(Filing)
class FilingAdmin(ReadOnlyAdmin):
    list_display = ("project", "number", "filed_on", "filed_by")
    list_filter = ("filed_on",)
    search_fields = ("number", "project__title")
    view_roles = frozenset({Role.COMMISSION, Role.TALENT_OFFICE})


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ("project", "signed_on", "uploaded_at")
    list_filter = ("signed_on",)
    search_fields = ("project__title",)


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ("expert", "enterprise", "position", "start_date", "end_date", "months", "state")
    list_filter = ("state", "position")
    search_fields = ("expert__name", "enterprise__name", "project__title")
    view_roles = frozenset({Role.COMMISSION, Role.TALENT_OFFICE})


class TransitionAdmin(ReadOnlyAdmin):
    list_display = ("subject", "from_state", "to_state", "actor", "created_at")
    list_filter = ("to_state",)
    search_fields = ("reason",)


admin.site.register(ProjectTransition, TransitionAdmin)
admin.site.register(ReviewRoundTransition, TransitionAdmin)
admin.site.register(AppointmentTransition, TransitionAdmin)
