"""The credit record (信用记录): one fact about one subject — an expert, an enterprise, a reviewer or an
institution — with the rule it rests on, the record it comes from, its severity, polarity and last day.

The subject is typed: four nullable foreign keys with a check that exactly the one named by
`subject_kind` is set. The source is the record the fact was read from (`source_type`, `source_id`, as
in the audit log); one source, rule and subject kind give at most one record (the nightly job proposes
each exactly once).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Created, StateTransition, Timestamped

from .enums import CreditRule, CreditState, DecisionPoint, ObjectionState, Polarity, Severity, SubjectKind

USER = settings.AUTH_USER_MODEL

#: subject kind → the foreign key that holds it
SUBJECT_FIELDS = {
    SubjectKind.EXPERT: "expert",
    SubjectKind.ENTERPRISE: "enterprise",
    SubjectKind.REVIEWER: "reviewer",
    SubjectKind.INSTITUTION: "institution",
}


def _exactly_one_subject() -> Q:
    condition = Q()
    for kind, name in SUBJECT_FIELDS.items():
        only = Q(subject_kind=kind, **{f"{name}__isnull": False})
        for other in SUBJECT_FIELDS.values():
            if other != name:
                only &= Q(**{f"{other}__isnull": True})
        condition |= only
    return condition


def _subject(model: str, verbose_name) -> models.ForeignKey:
    """One of the four subject keys: optional, protected, reached back as `credit_records`."""
    return models.ForeignKey(
        model, on_delete=models.PROTECT, null=True, blank=True, related_name="credit_records",
        verbose_name=verbose_name,
    )


class CreditRecord(Timestamped):
    subject_kind = models.CharField(_("主体类型"), max_length=20, choices=SubjectKind.choices)
    expert = _subject("experts.Expert", _("专家"))
    enterprise = _subject("enterprises.Enterprise", _("企业"))
    reviewer = _subject("projects.Reviewer", _("评审专家"))
    institution = _subject("experts.Institution", _("推荐单位"))
    rule = models.CharField(_("依据规则"), max_length=30, choices=CreditRule.choices)
    conduct = models.TextField(_("行为事实"))
    basis = models.TextField(_("认定依据"))
    source_type = models.CharField(_("来源记录类型"), max_length=60)
    source_id = models.CharField(_("来源记录编号"), max_length=40)
    polarity = models.CharField(_("性质"), max_length=10, choices=Polarity.choices)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices, blank=True)
    occurred_on = models.DateField(_("事实发生日期"))
    valid_until = models.DateField(_("有效期至"))
    state = models.CharField(
        _("状态"), max_length=20, choices=CreditState.choices, default=CreditState.PROPOSED, db_index=True
    )
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    objection_deadline = models.DateField(_("异议期截止"), null=True, blank=True)
    confirmed_on = models.DateField(_("确认日期"), null=True, blank=True)
    created_at = Timestamped.created_at_field(_("生成时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("信用记录")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=_exactly_one_subject(), name="creditrecord_exactly_one_subject"),
            models.CheckConstraint(
                condition=Q(state__in=CreditState.values), name="creditrecord_state_valid"
            ),
            models.CheckConstraint(condition=Q(rule__in=CreditRule.values), name="creditrecord_rule_valid"),
            models.CheckConstraint(
                condition=(Q(polarity=Polarity.NEGATIVE) & Q(severity__in=Severity.values))
                | (Q(polarity=Polarity.POSITIVE) & Q(severity="")),
                name="creditrecord_severity_of_negative_only",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("occurred_on")), name="creditrecord_valid_after_fact"
            ),
            models.CheckConstraint(
                condition=Q(state=CreditState.PROPOSED)
                | Q(state=CreditState.DISMISSED)
                | Q(notified_on__isnull=False, objection_deadline__isnull=False),
                name="creditrecord_notified_has_window",
            ),
            models.CheckConstraint(
                condition=~Q(
                    state__in=[
                        CreditState.CONFIRMED,
                        CreditState.EXPIRED,
                        CreditState.REPAIRED,
                        CreditState.REVOKED,
                    ]
                )
                | Q(confirmed_on__isnull=False),
                name="creditrecord_confirmed_has_date",
            ),
            # the nightly job proposes each fact once per rule and subject kind
            models.UniqueConstraint(
                fields=["rule", "source_type", "source_id", "subject_kind"], name="creditrecord_unique_fact"
            ),
        ]
        indexes = [
            models.Index(fields=["expert", "state"], name="creditrecord_expert_idx"),
            models.Index(fields=["enterprise", "state"], name="creditrecord_enterprise_idx"),
            models.Index(fields=["reviewer", "state"], name="creditrecord_reviewer_idx"),
            models.Index(fields=["institution", "state"], name="creditrecord_institution_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} · {self.get_rule_display()}"

    @property
    def subject(self):
        return getattr(self, SUBJECT_FIELDS[self.subject_kind])

    @property
    def subject_name(self) -> str:
        subject = self.subject
        return getattr(subject, "name", "") or str(subject)

    @property
    def is_negative(self) -> bool:
        return self.polarity == Polarity.NEGATIVE


CreditRecordTransition = StateTransition.table_for(CreditRecord, _("信用记录"), _("信用记录流转记录"))


class CreditObjection(Created):
    """The subject's objection (异议) to a record during its objection window; staff handle it."""

    record = models.ForeignKey(
        CreditRecord, on_delete=models.CASCADE, related_name="objections", verbose_name=_("信用记录")
    )
    content = models.TextField(_("异议内容"))
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("提出人"))
    state = models.CharField(
        _("状态"), max_length=20, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    resolution = models.TextField(_("处理意见"), blank=True)
    resolved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("处理人")
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = Created.created_at_field(_("提出时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("信用异议")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ObjectionState.values), name="creditobjection_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state=ObjectionState.OPEN)
                | (Q(resolved_at__isnull=False) & Q(resolved_by__isnull=False) & ~Q(resolution="")),
                name="creditobjection_resolved_complete",
            ),
            # one open objection per record at a time
            models.UniqueConstraint(
                fields=["record"], condition=Q(state=ObjectionState.OPEN), name="creditobjection_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record} · {self.get_state_display()}"


class CreditOverride(Created):
    """Staff went ahead with a decision although its subjects had active negative records: the reason."""

    decision = models.CharField(_("决定事项"), max_length=30, choices=DecisionPoint.choices)
    target_type = models.CharField(_("对象类型"), max_length=60)
    target_id = models.CharField(_("对象编号"), max_length=40)
    reason = models.TextField(_("理由"))
    records = models.ManyToManyField(CreditRecord, related_name="overrides", verbose_name=_("信用记录"))
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("决定人"))
    created_at = Created.created_at_field(_("时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("信用提示处理说明")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="creditoverride_reason_required"),
            models.CheckConstraint(
                condition=Q(decision__in=DecisionPoint.values), name="creditoverride_decision_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.target_type}#{self.target_id}"
