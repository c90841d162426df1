"""The annual awards in the admin, read-only: everything changes through the services (the awards pages)."""

from django.contrib import admin

from accounts.admin_site import RoleAdminMixin
from accounts.enums import Role

from .models import Award, AwardApplication, AwardCriterion, AwardCycle, AwardSheet


class AwardCriterionInline(admin.TabularInline):
    model = AwardCriterion
    extra = 0
    readonly_fields = ("name", "max_points", "order")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AwardCycle)
class AwardCycleAdmin(RoleAdminMixin, admin.ModelAdmin):
    view_roles = frozenset({Role.COMMISSION})
    change_roles = frozenset()  # set up on the awards pages (services check quotas, windows and states)
    list_display = ("year", "title", "state", "quota_first", "quota_second", "quota_third", "budget_year")
    list_filter = ("state", "budget_year")
    search_fields = ("title", "year")
    inlines = [AwardCriterionInline]


@admin.register(AwardApplication)
class AwardApplicationAdmin(RoleAdminMixin, admin.ModelAdmin):
    view_roles = frozenset({Role.COMMISSION})
    change_roles = frozenset()
    list_display = (
        "project",
        "cycle",
        "enterprise",
        "expert",
        "source",
        "state",
        "score",
        "rank",
        "proposed_level",
    )
    list_filter = ("cycle", "state", "source", "proposed_level")
    search_fields = ("project__title", "expert__name", "enterprise__name", "summary")
    readonly_fields = (
        "cycle",
        "completion",
        "project",
        "expert",
        "enterprise",
        "state",
        "source",
        "score",
        "spread",
        "rank",
        "proposed_level",
        "expert_confirmed_at",
        "submitted_at",
        "created_by",
    )
    add_roles = frozenset()


@admin.register(AwardSheet)
class AwardSheetAdmin(RoleAdminMixin, admin.ModelAdmin):
    change_roles = frozenset()
    view_roles = frozenset({Role.COMMISSION})
    list_display = ("application", "reviewer", "state", "total", "submitted_at")
    list_filter = ("state", "cycle")
    search_fields = ("application__project__title", "reviewer__name")


@admin.register(Award)
class AwardAdmin(RoleAdminMixin, admin.ModelAdmin):
    change_roles = frozenset()
    view_roles = frozenset({Role.COMMISSION})
    list_display = ("cycle", "level", "expert", "enterprise", "amount", "payment")
    list_filter = ("cycle", "level")
    search_fields = ("expert__name", "enterprise__name", "application__project__title")
