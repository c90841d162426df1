"""Institutions (推荐单位), the reference disciplines, experts (the talent pool) and nominations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedPhoneField
from core.identifiers import mask_id_number
from core.models import Authored, Created, StateTransition, Timestamped
from core.uploads import private_storage, upload_path, validate_document

from .enums import (
    KIND_FIELDS,
    AchievementKind,
    ChangeRequestState,
    Degree,
    EligibilityResult,
    ExceptionDecision,
    Gender,
    InstitutionCategory,
    NominationState,
    TitleLevel,
)


class Discipline(models.Model):
    """A first-level discipline (一级学科) of the 2022 catalogue; staff maintain the list."""

    code = models.CharField(_("学科代码"), max_length=8, unique=True)
    name = models.CharField(_("学科名称"), max_length=60, unique=True)
    category_code = models.CharField(_("门类代码"), max_length=4, blank=True)
    category_name = models.CharField(_("学科门类"), max_length=30, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = _("学科")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        """The name in the reader's language (experts.reference_names lists the reference names)."""
        return gettext(self.name) if self.name else ""


class Institution(Timestamped):
    """A nominating institution: university, research institute or hospital (policy 二(一))."""

    name = models.CharField(_("单位名称"), max_length=120, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    category = models.CharField(
        _("单位类型"), max_length=20, choices=InstitutionCategory.choices,
        default=InstitutionCategory.UNIVERSITY,
    )
    is_985 = models.BooleanField(_("985高校"), default=False)
    is_211 = models.BooleanField(_("211高校"), default=False)
    is_double_first_class = models.BooleanField(_("“双一流”建设高校"), default=False)
    is_hospital_3a = models.BooleanField(_("知名三甲医院"), default=False)
    is_research_national = models.BooleanField(_("国家级科研机构"), default=False)
    is_research_beijing = models.BooleanField(_("北京市级科研机构"), default=False)
    is_new_rd = models.BooleanField(_("新型研发机构"), default=False)
    in_changping = models.BooleanField(_("驻昌单位"), default=False, help_text=_("校区或院址位于昌平区"))
    changping_campus = models.CharField(_("驻昌校区/院区"), max_length=120, blank=True)
    double_first_class_disciplines = models.ManyToManyField(
        Discipline, blank=True, related_name="double_first_class_institutions",
        verbose_name=_("“双一流”建设学科"),
    )
    dfc_self_determined = models.BooleanField(
        _("自主确定建设学科"), default=False,
        help_text=_("北京大学、清华大学自主确定“双一流”建设学科并自行公布，请按学校公布名单维护。"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = EncryptedPhoneField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    notes = models.TextField(_("备注"), blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = _("推荐单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def kinds(self) -> set[str]:
        """The institution's kinds, as experts.policy.check_eligibility expects them."""
        return {str(kind) for kind, field in KIND_FIELDS.items() if getattr(self, field)}

    @property
    def kind_labels(self) -> list[str]:
        return [str(kind.label) for kind, field in KIND_FIELDS.items() if getattr(self, field)]


class InstitutionMember(Created):
    """A nominator user belongs to exactly one institution."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="institution_membership",
        verbose_name=_("用户"),
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="members", verbose_name=_("推荐单位")
    )
    position = models.CharField(_("职务"), max_length=60, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("推荐单位用户")

    def __str__(self) -> str:
        return f"{self.user} · {self.institution}"


class Expert(Timestamped):
    """A person nominated by an institution; `in_pool` once admitted by the commission (入库).

    The resident ID number is stored encrypted (`id_number_encrypted`, core.crypto) with a keyed hash
    (`id_number_hash`) that makes "the same person twice" impossible in the database; lists show
    `id_number_masked`.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="expert_profile", verbose_name=_("登录账号"),
    )
    name = models.CharField(_("姓名"), max_length=60)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number_encrypted = models.TextField(_("身份证号（加密）"), editable=False)
    id_number_hash = models.CharField(_("身份证号摘要"), max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=20, editable=False)
    phone = EncryptedPhoneField(_("手机号码"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="experts", verbose_name=_("推荐单位")
    )
    department = models.CharField(_("所在院系/部门"), max_length=100, blank=True)
    discipline = models.ForeignKey(
        Discipline, on_delete=models.PROTECT, related_name="experts", verbose_name=_("所属学科")
    )
    research_fields = models.TextField(_("研究领域"), blank=True)
    keywords = models.TextField(_("关键词"), blank=True, help_text=_("多个关键词用逗号或顿号分隔"))
    degree = models.CharField(_("最高学位"), max_length=20, choices=Degree.choices)
    title = models.CharField(
        _("专业技术职称"), max_length=40, blank=True, help_text=_("如：教授、研究员、主任医师")
    )
    title_level = models.CharField(_("职称级别"), max_length=20, choices=TitleLevel.choices)
    work_start = models.DateField(_("首次参加工作日期"))
    core_ip = models.BooleanField(_("拥有核心知识产权或成熟科技成果"), default=False)
    core_ip_description = models.TextField(_("核心知识产权/成熟成果说明"), blank=True)
    core_ip_evidence = models.FileField(
        _("核心知识产权/成果证明材料"), upload_to=upload_path("experts/evidence"), storage=private_storage,
        validators=[validate_document], blank=True, max_length=200,
    )
    resume = models.FileField(
        _("个人简历"), upload_to=upload_path("experts/resume"), storage=private_storage,
        validators=[validate_document], blank=True, max_length=200,
    )
    in_pool = models.BooleanField(_("已入库"), default=False, db_index=True)
    admitted_at = models.DateTimeField(_("入库时间"), null=True, blank=True)
    # name, keywords, fields, department, institution and discipline, for the indexed search (see
    # migration 0002: a pg_trgm GIN index on PostgreSQL).
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = _("专家")
        ordering = ["name", "id"]
        # The talent-pool list (selectors.pool_list): filtered by pool and one of these columns, sorted
        # by name (or admission) with the id as tie-breaker — each index serves the filter, the sort and
        # the keyset page boundary at once (issue 11; bench/bench_pool.py).
        indexes = [
            models.Index(fields=["in_pool", "name", "id"], name="expert_pool_name_idx"),
            models.Index(fields=["in_pool", "admitted_at", "id"], name="expert_pool_admitted_idx"),
            models.Index(fields=["in_pool", "discipline", "name", "id"], name="expert_pool_disc_name_idx"),
            models.Index(fields=["in_pool", "institution", "name", "id"], name="expert_pool_inst_name_idx"),
            models.Index(fields=["in_pool", "title_level", "name", "id"], name="expert_pool_level_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(gender__in=Gender.values), name="expert_gender_valid"),
            models.CheckConstraint(condition=Q(degree__in=Degree.values), name="expert_degree_valid"),
            models.CheckConstraint(
                condition=Q(title_level__in=TitleLevel.values), name="expert_title_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(in_pool=False) | Q(admitted_at__isnull=False), name="expert_pool_has_admitted_at"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_display(self) -> str:
        return self.id_number_masked or mask_id_number("")

    @property
    def keyword_list(self) -> list[str]:
        import re

        return [k for k in re.split(r"[,，、;；\s]+", self.keywords) if k]


class Achievement(models.Model):
    """One achievement of an expert: a patent, paper, award or transferred result."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="achievements", verbose_name=_("专家")
    )
    kind = models.CharField(_("类别"), max_length=20, choices=AchievementKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    detail = models.CharField(
        _("说明"), max_length=300, blank=True, help_text=_("专利号、期刊、奖项级别、转化金额等")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("专家成果")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AchievementKind.values), name="achievement_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


class Nomination(Authored, Timestamped):
    """An institution's nomination of one expert (SPEC §4), checked against policy 二 on submit."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("推荐单位")
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("专家")
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=NominationState.choices, default=NominationState.DRAFT,
        db_index=True,
    )
    declaration = models.BooleanField(
        _("推荐单位承诺"), default=False,
        help_text=_("本单位承诺：被推荐专家政治素质过硬、身体健康、责任心强，所填信息真实准确。"),
    )
    recommendation_letter = models.FileField(
        _("推荐函（盖章签字）"), upload_to=upload_path("experts/letters"), storage=private_storage,
        validators=[validate_document], blank=True, max_length=200,
    )
    exception_justification = models.TextField(
        _("放宽条件理由"),
        blank=True,
        help_text=_(
            "专家拥有昌平区企业急需紧缺的核心知识产权或成熟科技成果、申请放宽学历或工作年限条件时填写。"
        ),
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, db_index=True)
    nominated_on = models.DateField(_("推荐日期"), null=True, blank=True)
    eligibility = models.CharField(
        _("资格审查结果"), max_length=20, choices=EligibilityResult.choices, blank=True, default="",
    )
    eligibility_failures = models.JSONField(_("未满足的条件"), default=list, blank=True)
    eligibility_reasons = models.JSONField(_("审查说明"), default=dict, blank=True)
    exception_decision = models.CharField(
        _("放宽审批"), max_length=20, choices=ExceptionDecision.choices, blank=True, default="",
    )
    exception_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("放宽审批人"),
    )
    exception_decided_at = models.DateTimeField(_("放宽审批时间"), null=True, blank=True)
    exception_decision_note = models.TextField(_("放宽审批意见"), blank=True)
    decided_at = models.DateTimeField(_("入库决定时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("专家推荐")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=NominationState.values), name="nomination_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(eligibility__in=EligibilityResult.values), name="nomination_eligibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(exception_decision__in=ExceptionDecision.values),
                name="nomination_exception_decision_valid",
            ),
            # One nomination in progress per person.
            models.UniqueConstraint(
                fields=["expert"], condition=Q(state__in=["draft", "submitted", "returned"]),
                name="nomination_one_open_per_expert",
            ),
            # An approved exception names its author.
            models.CheckConstraint(
                condition=~Q(exception_decision__in=["approved", "refused"])
                | Q(exception_decided_by__isnull=False, exception_decided_at__isnull=False),
                name="nomination_exception_decision_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.institution}"

    @property
    def admissible(self) -> bool:
        """准予入库 may be offered: eligible, or an exception that staff approved (see nomination_admit)."""
        return self.eligibility == EligibilityResult.ELIGIBLE or (
            self.eligibility == EligibilityResult.EXCEPTION
            and self.exception_decision == ExceptionDecision.APPROVED
        )


NominationTransition = StateTransition.table_for(Nomination, _("专家推荐"), _("推荐流转记录"))


class ExpertChangeRequest(Created):
    """An expert's change of core profile fields, applied only after staff approve it."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("专家")
    )
    changes = models.JSONField(_("变更内容"), default=dict, help_text=_("字段 → {old, new}"))
    state = models.CharField(
        _("状态"), max_length=20, choices=ChangeRequestState.choices, default=ChangeRequestState.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    created_at = Created.created_at_field(_("申请时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("审核人"),
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("专家信息变更申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ChangeRequestState.values), name="changerequest_state_valid"
            ),
            models.UniqueConstraint(
                fields=["expert"], condition=Q(state="pending"), name="changerequest_one_pending_per_expert"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.get_state_display()}"
