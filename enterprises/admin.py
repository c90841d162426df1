from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import RoleAdminMixin
from accounts.enums import Role
from core.workflow import TransitionError

from . import services
from .exceptions import EnterpriseError
from .matching import KINDS
from .models import Demand, Enterprise, EnterpriseMember, Industry, Intent, MatchmakingEvent


@admin.register(Industry)
class IndustryAdmin(RoleAdminMixin, admin.ModelAdmin):
    """Staff maintain the industry list and mark Changping's leading industries."""

    list_display = ("name", "code", "is_leading", "order", "active")
    list_editable = ("is_leading", "order", "active")
    list_filter = ("is_leading", "active")
    search_fields = ("name", "code")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        from .tasks import dispatch, matching_index_rebuild

        for kind in KINDS:  # fit and leading bonuses depend on the industry list
            dispatch(matching_index_rebuild, kind)


class MemberInline(admin.TabularInline):
    model = EnterpriseMember
    fk_name = "enterprise"
    extra = 0
    fields = ("user", "is_admin", "position", "created_at")
    readonly_fields = ("user", "created_at")
    can_delete = False


@admin.register(Enterprise)
class EnterpriseAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ("name", "uscc", "industry", "in_changping", "state", "created_at")
    list_filter = ("state", "industry", "in_changping", "size")
    search_fields = ("name", "uscc")
    readonly_fields = ("state", "verified_at", "rejection_reason", "created_at", "updated_at")
    inlines = [MemberInline]
    actions = ["verify"]

    @admin.action(description=_("认证通过所选企业"))
    def verify(self, request, queryset):
        for enterprise in queryset:
            try:
                services.enterprise_verify(enterprise=enterprise, by=request.user)
            except (EnterpriseError, TransitionError) as exc:
                self.message_user(request, f"{enterprise}: {exc}", messages.ERROR)


@admin.register(Demand)
class DemandAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ("title", "enterprise", "industry", "position", "deadline", "state", "published_at")
    list_filter = ("state", "industry", "position")
    search_fields = ("title", "keywords", "enterprise__name")
    list_select_related = ("enterprise", "industry")
    readonly_fields = ("state", "published_at", "closed_at", "tokens")


@admin.register(Intent)
class IntentAdmin(RoleAdminMixin, admin.ModelAdmin):
    change_roles = frozenset()
    view_roles = frozenset({Role.COMMISSION})
    list_display = ("demand", "expert", "initiator", "state", "created_at", "expires_at", "in_service")
    list_filter = ("state", "initiator", "in_service")
    search_fields = ("demand__title", "demand__enterprise__name", "expert__name")
    list_select_related = ("demand", "expert")


@admin.register(MatchmakingEvent)
class MatchmakingEventAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ("title", "held_on", "location", "industry")
    list_filter = ("industry", "held_on")
    search_fields = ("title", "location")
