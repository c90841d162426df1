from django.contrib import admin

from accounts.admin_site import RoleAdminMixin
from accounts.enums import Role

from .models import Outcome, OutcomeKind


@admin.register(OutcomeKind)
class OutcomeKindAdmin(RoleAdminMixin, admin.ModelAdmin):
    """Staff maintain the outcome kinds (also on the portal page outcomes:kind-list)."""

    list_display = (
        "name",
        "group",
        "unit",
        "identifier_required",
        "evidence_required",
        "counts_for_awards",
        "has_level",
        "has_amount",
        "is_active",
        "order",
    )
    list_filter = ("group", "is_active")
    search_fields = ("name", "code")


@admin.register(Outcome)
class OutcomeAdmin(RoleAdminMixin, admin.ModelAdmin):
    """Read-only: outcomes change only through the services (the portal pages)."""

    view_roles = frozenset({Role.COMMISSION})
    change_roles = frozenset()
    list_display = ("title", "kind", "appointment", "state", "achieved_on")
    list_filter = ("state", "kind")
    search_fields = ("title", "identifier", "appointment__expert__name", "appointment__enterprise__name")
