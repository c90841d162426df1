"""Enterprises (科技型企业), their members, demands (需求), intents (双向选择), matchmaking events
(对接会) and the stored matching tokens of experts and demands."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedPhoneField
from core.models import Authored, Created, StateTransition, Timestamped
from core.uploads import private_storage, upload_path, validate_document

from .enums import (
    DemandState,
    EnterpriseSize,
    EnterpriseState,
    IntentInitiator,
    IntentState,
    Position,
    VerificationGround,
)


class Industry(models.Model):
    """An industry an enterprise or demand belongs to; Changping's leading industries (主导产业) are marked.

    Staff maintain the list in the admin. `disciplines` names the 一级学科 whose experts fit the industry
    (used by the matching engine's discipline/industry fit)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("行业名称"), max_length=40, unique=True)
    is_leading = models.BooleanField(_("昌平区主导产业"), default=False)
    disciplines = models.TextField(
        _("相关学科"), blank=True, help_text=_("与该行业对口的一级学科名称，用“|”或顿号分隔")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = _("行业")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return gettext("%(name)s（主导产业）") % {"name": self.label} if self.is_leading else self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (enterprises.reference_names lists the reference names)."""
        return gettext(self.name) if self.name else ""

    @property
    def discipline_names(self) -> set[str]:
        import re

        return {d for d in re.split(r"[|、,，\s]+", self.disciplines) if d}


class Enterprise(Timestamped):
    name = models.CharField(_("企业名称"), max_length=120, unique=True)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, help_text=_("18位，依据GB 32100-2015校验")
    )
    registered_address = models.CharField(_("注册地址"), max_length=200)
    in_changping = models.BooleanField(_("注册地在昌平区"), default=True)
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("所属行业")
    )
    qualifications = models.JSONField(_("企业资质"), default=list, blank=True)
    size = models.CharField(_("企业规模"), max_length=10, choices=EnterpriseSize.choices)
    employee_count = models.PositiveIntegerField(_("职工人数"), default=0)
    rd_staff_count = models.PositiveIntegerField(_("研发人员数"), default=0)
    description = models.TextField(_("企业简介"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40)
    contact_phone = EncryptedPhoneField(_("联系电话"), max_length=20)
    contact_email = models.EmailField(_("联系邮箱"))
    state = models.CharField(
        _("认证状态"), max_length=20, choices=EnterpriseState.choices, default=EnterpriseState.REGISTERED,
        db_index=True,
    )
    # Evidence of operating in Changping, for an enterprise whose credit code was issued elsewhere (SPEC §4).
    changping_address = models.CharField(
        _("在昌平区的经营地址"), max_length=200, blank=True,
        help_text=_("统一社会信用代码不是在昌平区登记的（第3–8位不是110114），请填写在昌平区的实际经营地址"),
    )
    changping_evidence = models.FileField(
        _("在昌平区经营的证明材料"), upload_to=upload_path("enterprises/changping"), storage=private_storage,
        validators=[validate_document], blank=True,
        help_text=_("如经营场所租赁合同、房产证明等（PDF、JPEG、PNG、DOCX）"),
    )
    rejection_reason = models.TextField(_("未通过原因"), blank=True)
    verified_at = models.DateTimeField(_("认证时间"), null=True, blank=True)
    verification_ground = models.CharField(
        _("认证依据"), max_length=30, choices=VerificationGround.choices, blank=True
    )
    verification_reason = models.TextField(_("认证确认理由"), blank=True)
    created_at = Timestamped.created_at_field(_("注册时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("企业")
        ordering = ["name"]
        # the staff list (selectors.enterprise_list): by state, newest first (issue 11)
        indexes = [models.Index(fields=["state", "-created_at"], name="enterprise_state_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=EnterpriseState.values), name="enterprise_state_valid"
            ),
            models.CheckConstraint(condition=Q(size__in=EnterpriseSize.values), name="enterprise_size_valid"),
            models.CheckConstraint(
                condition=Q(rd_staff_count__lte=models.F("employee_count")) | Q(employee_count=0),
                name="enterprise_rd_staff_within_employees",
            ),
            # A verification on Changping evidence always carries the staff's reason (SPEC §4).
            models.CheckConstraint(
                condition=~Q(verification_ground=VerificationGround.CHANGPING_EVIDENCE)
                | ~Q(verification_reason=""),
                name="enterprise_evidence_ground_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise-detail", args=[self.pk])

    @property
    def is_verified(self) -> bool:
        return self.state == EnterpriseState.VERIFIED

    @property
    def qualification_labels(self) -> list[str]:
        from .enums import Qualification

        return [str(Qualification(q).label) for q in self.qualifications if q in Qualification.values]


EnterpriseTransition = StateTransition.table_for(Enterprise, _("企业"), _("企业认证记录"))


class EnterpriseMember(Created):
    """A user of an enterprise; the first one (who registered it) is its administrator."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="members", verbose_name=_("企业")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_membership",
        verbose_name=_("用户"),
    )
    is_admin = models.BooleanField(_("企业管理员"), default=False)
    position = models.CharField(_("职务"), max_length=60, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("添加人"),
    )
    created_at = Created.created_at_field(_("加入时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("企业用户")
        ordering = ["-is_admin", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.enterprise}"


class Demand(Authored, Timestamped):
    """An enterprise's need for expertise (需求), published to the talent pool."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="demands", verbose_name=_("企业")
    )
    title = models.CharField(_("需求名称"), max_length=120)
    description = models.TextField(_("需求描述"))
    technical_field = models.CharField(_("技术领域"), max_length=120)
    keywords = models.CharField(_("关键词"), max_length=300, help_text=_("多个关键词用逗号或顿号分隔"))
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="demands", verbose_name=_("所属行业")
    )
    position = models.CharField(_("拟聘岗位"), max_length=20, choices=Position.choices, default=Position.VP)
    expected_work = models.TextField(_("预期工作内容"))
    deadline = models.DateField(_("截止日期"))
    state = models.CharField(
        _("状态"), max_length=20, choices=DemandState.choices, default=DemandState.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    # Segmented text per field (enterprises.matching.tokenize_fields), stored on save so that the
    # matching index is built from tokens without running jieba again.
    tokens = models.JSONField(_("分词结果"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = _("需求")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=DemandState.values), name="demand_state_valid"),
            models.CheckConstraint(condition=Q(position__in=Position.values), name="demand_position_valid"),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="demand_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("enterprises:demand-detail", args=[self.pk])


DemandTransition = StateTransition.table_for(Demand, _("需求"), _("需求流转记录"))


class MatchmakingEvent(Authored, Created):
    """A matchmaking event (对接会) organised by the commission."""

    title = models.CharField(_("活动名称"), max_length=120)
    held_on = models.DateField(_("举办日期"))
    location = models.CharField(_("地点"), max_length=200)
    description = models.TextField(_("活动说明"), blank=True)
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, null=True, blank=True, related_name="events",
        verbose_name=_("聚焦行业"),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("对接会")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class EventParticipant(models.Model):
    """An enterprise or an expert invited to a matchmaking event, and whether they attended."""

    event = models.ForeignKey(
        MatchmakingEvent, on_delete=models.CASCADE, related_name="participants", verbose_name=_("对接会")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="event_participations",
        verbose_name=_("企业"),
    )
    expert = models.ForeignKey(
        "experts.Expert", on_delete=models.PROTECT, null=True, blank=True,
        related_name="event_participations", verbose_name=_("专家"),
    )
    attended = models.BooleanField(_("已到场"), default=False)
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("对接会参与方")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False, expert__isnull=True)
                | Q(enterprise__isnull=True, expert__isnull=False),
                name="participant_exactly_one_side",
            ),
            models.UniqueConstraint(
                fields=["event", "enterprise"], condition=Q(enterprise__isnull=False),
                name="participant_unique_enterprise",
            ),
            models.UniqueConstraint(
                fields=["event", "expert"], condition=Q(expert__isnull=False),
                name="participant_unique_expert",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.enterprise or self.expert}"


class Intent(Authored, Timestamped):
    """One move of the two-way choice: an invitation (enterprise → expert) or an application
    (expert → demand). An accepted intent is the cooperation intent a project filing starts from."""

    demand = models.ForeignKey(
        Demand, on_delete=models.PROTECT, related_name="intents", verbose_name=_("需求")
    )
    expert = models.ForeignKey(
        "experts.Expert", on_delete=models.PROTECT, related_name="intents", verbose_name=_("专家")
    )
    initiator = models.CharField(_("发起方"), max_length=20, choices=IntentInitiator.choices)
    state = models.CharField(
        _("状态"), max_length=20, choices=IntentState.choices, default=IntentState.PENDING, db_index=True
    )
    message = models.TextField(_("留言"), blank=True)
    response_note = models.TextField(_("回复说明"), blank=True)
    expires_at = models.DateTimeField(_("有效期至"))
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    # Staff mark an accepted intent whose expert has actually started serving the enterprise; such an
    # expert counts as serving (enterprises.matching.serving_expert_ids) until the projects app's
    # appointments take over that role.
    in_service = models.BooleanField(_("已到岗服务"), default=False)
    event = models.ForeignKey(
        MatchmakingEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="intents",
        verbose_name=_("来源对接会"),
    )
    created_by = Authored.created_by_field(_("发起人"))
    created_at = Timestamped.created_at_field(_("发起时间"), db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = _("对接意向")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=IntentState.values), name="intent_state_valid"),
            models.CheckConstraint(
                condition=Q(initiator__in=IntentInitiator.values), name="intent_initiator_valid"
            ),
            models.CheckConstraint(
                condition=Q(in_service=False) | Q(state="accepted"), name="intent_in_service_only_accepted"
            ),
            # One open (pending) and at most one accepted intent per demand and expert.
            models.UniqueConstraint(
                fields=["demand", "expert"], condition=Q(state="pending"), name="intent_one_pending_per_pair"
            ),
            models.UniqueConstraint(
                fields=["demand", "expert"], condition=Q(state="accepted"),
                name="intent_one_accepted_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demand} · {self.expert} · {self.get_state_display()}"


IntentTransition = StateTransition.table_for(Intent, _("对接意向"), _("意向流转记录"))


class ExpertProfileIndex(models.Model):
    """The stored matching tokens of one expert (kept here so that the experts app stays untouched).

    Refreshed by enterprises.tasks.experts_index_refresh when the expert changes; the matching index is
    built from these rows without running jieba."""

    expert = models.OneToOneField(
        "experts.Expert", on_delete=models.CASCADE, related_name="match_index", verbose_name=_("专家")
    )
    tokens = models.JSONField(_("分词结果"), default=dict, blank=True)
    source_hash = models.CharField(_("文本摘要"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("专家匹配索引")

    def __str__(self) -> str:
        return str(self.expert_id)
