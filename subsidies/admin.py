"""Admin for reference data only: policy versions (staff maintain them; a new version takes effect on
its date). Money records change only through the services and pages; bank accounts are not in the
admin at all (their numbers appear only in finance's bank export)."""

from django.contrib import admin
from django.utils import timezone

from accounts.admin_site import RoleAdminMixin
from accounts.enums import Role

from .models import AllowancePayment, Budget, Payment, PaymentBatch, PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(RoleAdminMixin, admin.ModelAdmin):
    view_roles = frozenset({Role.FINANCE})
    list_filter = ("effective_from",)
    search_fields = ("code", "title")
    list_display = (
        "code",
        "title",
        "effective_from",
        "project_subsidy_cap",
        "monthly_allowance",
        "term_months",
    )

    def has_change_permission(self, request, obj=None):
        # A version in use by appointments is history: it is never edited, a new version is added.
        if obj is not None and obj.effective_from <= timezone.localdate():
            return False
        return super().has_change_permission(request, obj)


class ReadOnlyAdmin(RoleAdminMixin, admin.ModelAdmin):
    change_roles = frozenset()
    add_roles = frozenset()
    view_roles = frozenset({Role.COMMISSION})


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ("year", "updated_at")
    list_filter = ("year",)
    search_fields = ("note",)


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "year", "state", "paid_on", "bank_reference")
    list_filter = ("state", "year")
    search_fields = ("number", "title", "bank_reference")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("payee_name", "category", "budget_year", "amount", "due_on", "paid_on", "batch")
    list_filter = ("category", "budget_year")
    search_fields = ("payee_name", "purpose", "bank_reference")
    exclude = ("bank_account",)


@admin.register(AllowancePayment)
class AllowancePaymentAdmin(ReadOnlyAdmin):
    list_display = ("appointment", "month", "kind", "amount", "due_on", "confirmed_on")
    list_filter = ("kind", "budget_year")
    search_fields = ("appointment__expert__name", "appointment__enterprise__name", "confirmation_reference")
