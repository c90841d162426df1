from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import RoleAdminMixin
from core.workflow import TransitionError

from . import services
from .enums import KIND_FIELDS
from .exceptions import NominationError
from .models import (
    Achievement,
    Discipline,
    Expert,
    ExpertChangeRequest,
    Institution,
    InstitutionMember,
    Nomination,
    NominationTransition,
)


@admin.register(Discipline)
class DisciplineAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "category_name", "active")
    list_filter = ("category_name", "active")
    search_fields = ("code", "name")


class InstitutionMemberInline(admin.TabularInline):
    model = InstitutionMember
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Institution)
class InstitutionAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "category",
        "is_985",
        "is_211",
        "is_double_first_class",
        "is_hospital_3a",
        "is_research_national",
        "is_new_rd",
        "in_changping",
        "active",
    )
    list_filter = ("category", *KIND_FIELDS.values(), "active")
    search_fields = ("name", "short_name")
    filter_horizontal = ("double_first_class_disciplines",)
    inlines = [InstitutionMemberInline]


@admin.register(InstitutionMember)
class InstitutionMemberAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ("user", "institution", "position", "created_at")
    list_filter = ("institution__category",)
    search_fields = ("user__username", "user__full_name", "institution__name")
    list_select_related = ("user", "institution")
    autocomplete_fields = ("user", "institution")


class AchievementInline(admin.TabularInline):
    model = Achievement
    extra = 0


@admin.register(Expert)
class ExpertAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "id_number_masked",
        "institution",
        "discipline",
        "title",
        "in_pool",
        "admitted_at",
    )
    list_filter = ("in_pool", "degree", "title_level", "core_ip", "institution__category", "discipline")
    search_fields = ("name", "keywords", "research_fields", "institution__name")
    list_select_related = ("institution", "discipline")
    readonly_fields = ("id_number_masked", "birth_date", "user", "in_pool", "admitted_at", "search_text")
    exclude = ("id_number_encrypted", "id_number_hash")
    autocomplete_fields = ("institution",)
    inlines = [AchievementInline]
    actions = ["send_invitation"]

    @admin.action(description=_("重新发送账号激活邮件（仅已入库专家）"))
    def send_invitation(self, request, queryset):
        n = 0
        for expert in queryset.filter(in_pool=True):
            services.expert_invite(expert=expert, by=request.user)
            n += 1
        self.message_user(request, _("已发送 %(n)d 封激活邮件。") % {"n": n}, messages.SUCCESS)


class NominationTransitionInline(admin.TabularInline):
    model = NominationTransition
    extra = 0
    can_delete = False
    readonly_fields = ("from_state", "to_state", "actor", "reason", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ("expert", "institution", "state", "eligibility", "exception_decision", "submitted_at")
    list_filter = ("state", "eligibility", "exception_decision", "institution__category", "institution")
    search_fields = ("expert__name", "institution__name")
    list_select_related = ("expert", "institution")
    readonly_fields = (
        "state",
        "institution",
        "expert",
        "submitted_at",
        "nominated_on",
        "eligibility",
        "eligibility_failures",
        "eligibility_reasons",
        "exception_decision",
        "exception_decided_by",
        "exception_decided_at",
        "exception_decision_note",
        "decided_at",
        "created_by",
    )
    inlines = [NominationTransitionInline]
    actions = ["admit", "approve_exception"]

    def _run(self, request, queryset, func, done):
        ok = 0
        for nomination in queryset:
            try:
                func(nomination)
                ok += 1
            except (NominationError, TransitionError) as exc:
                self.message_user(request, f"{nomination}：{exc}", messages.ERROR)
        if ok:
            self.message_user(request, done % {"n": ok}, messages.SUCCESS)

    @admin.action(description=_("准予入库"))
    def admit(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda n: services.nomination_admit(nomination=n, by=request.user, reason=_("管理后台准予入库")),
            _("已准予 %(n)d 位专家入库。"),
        )

    @admin.action(description=_("批准放宽条件"))
    def approve_exception(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda n: services.nomination_exception_decide(
                nomination=n, by=request.user, approve=True, note=_("管理后台批准放宽")
            ),
            _("已批准 %(n)d 条放宽申请。"),
        )


@admin.register(ExpertChangeRequest)
class ExpertChangeRequestAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ("expert", "state", "created_at", "decided_by", "decided_at")
    list_filter = ("state",)
    search_fields = ("expert__name",)
    list_select_related = ("expert", "decided_by")
    readonly_fields = (
        "expert",
        "changes",
        "state",
        "requested_by",
        "decided_by",
        "decided_at",
        "decision_note",
    )
    actions = ["approve"]

    @admin.action(description=_("通过所选变更申请"))
    def approve(self, request, queryset):
        for change in queryset:
            try:
                services.change_request_decide(request=change, by=request.user, approve=True)
            except NominationError as exc:
                self.message_user(request, f"{change}：{exc}", messages.ERROR)
