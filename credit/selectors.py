"""Reads of the credit record, filtered by what the user may see (credit.rules)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.enums import Role

from .enums import SUBJECT_VISIBLE_STATES, CreditState, ObjectionState, Polarity, SubjectKind
from .models import SUBJECT_FIELDS, CreditObjection, CreditRecord

SUBJECT_RELATED = ("expert", "enterprise", "reviewer", "institution")


def subject_ids_of(user) -> dict[str, set[int]]:
    """The subjects a user speaks for: their expert and reviewer profiles, their enterprise, their
    institution (cached on the user for the request)."""
    cached = getattr(user, "_credit_subjects", None)
    if cached is not None:
        return cached
    from enterprises.models import EnterpriseMember
    from experts.models import Expert, InstitutionMember
    from projects.models import Reviewer

    ids: dict[str, set[int]] = {}
    if getattr(user, "is_authenticated", False) and user.pk:
        found = {
            SubjectKind.EXPERT: Expert.objects.filter(user=user).values_list("pk", flat=True),
            SubjectKind.REVIEWER: Reviewer.objects.filter(user=user).values_list("pk", flat=True),
            SubjectKind.ENTERPRISE: EnterpriseMember.objects.filter(user=user).values_list(
                "enterprise_id", flat=True
            ),
            SubjectKind.INSTITUTION: InstitutionMember.objects.filter(user=user).values_list(
                "institution_id", flat=True
            ),
        }
        ids = {kind: set(qs) for kind, qs in found.items()}
        ids = {kind: values for kind, values in ids.items() if values}
    user._credit_subjects = ids
    return ids


def _subject_q(ids: dict) -> Q:
    """Records of the given subjects: kind → a set of ids, or a QuerySet of ids (used as a subquery)."""
    condition = Q(pk__in=[])
    for kind, values in ids.items():
        values = values if isinstance(values, QuerySet) else sorted(values)
        condition |= Q(subject_kind=kind, **{f"{SUBJECT_FIELDS[kind]}_id__in": values})
    return condition


def record_list(*, user) -> QuerySet:
    """Every record for commission staff and the talent office; the user's own notified records for a
    subject; nothing for anyone else."""
    qs = CreditRecord.objects.select_related(*SUBJECT_RELATED)
    if user.has_role(Role.COMMISSION, Role.TALENT_OFFICE):
        return qs
    ids = subject_ids_of(user)
    if not ids:
        return qs.none()
    return qs.filter(_subject_q(ids), state__in=sorted(SUBJECT_VISIBLE_STATES))


def own_record_list(*, user) -> QuerySet:
    """The user's own records (the "我的信用记录" page), whatever other roles they hold."""
    ids = subject_ids_of(user)
    qs = CreditRecord.objects.select_related(*SUBJECT_RELATED)
    if not ids:
        return qs.none()
    return qs.filter(_subject_q(ids), state__in=sorted(SUBJECT_VISIBLE_STATES))


def own_credit_records(*, expert) -> QuerySet:
    """The records about an expert as a person — as expert, and as reviewer when the reviewer profile is
    theirs — once notified to them (the own-data download, PIPL art. 45)."""
    from projects.models import Reviewer

    reviewers = Reviewer.objects.filter(expert=expert)
    if expert.user_id:
        reviewers = Reviewer.objects.filter(Q(expert=expert) | Q(user_id=expert.user_id))
    return (
        CreditRecord.objects.filter(
            Q(subject_kind=SubjectKind.EXPERT, expert=expert)
            | Q(subject_kind=SubjectKind.REVIEWER, reviewer__in=reviewers.values("pk")),
            state__in=sorted(SUBJECT_VISIBLE_STATES),
        )
        .prefetch_related("objections")
        .order_by("-occurred_on", "-pk")
    )


def record_get(*, user, pk: int) -> CreditRecord | None:
    return record_list(user=user).filter(pk=pk).first() or own_record_list(user=user).filter(pk=pk).first()


def record_filter(qs: QuerySet, params) -> QuerySet:
    """The list's filters: subject type, state, positive/negative (unknown values are ignored)."""
    kind, state = params.get("subject_kind", ""), params.get("state", "")
    polarity = params.get("polarity", "")
    if kind in SubjectKind.values:
        qs = qs.filter(subject_kind=kind)
    if state in CreditState.values:
        qs = qs.filter(state=state)
    if polarity in Polarity.values:
        qs = qs.filter(polarity=polarity)
    return qs


def open_objection(record: CreditRecord) -> CreditObjection | None:
    return record.objections.filter(state=ObjectionState.OPEN).first()


# --- the 信用提示 panel --------------------------------------------------------------------------------


@dataclass
class CreditAlerts:
    """Active records of the subjects of one decision (or of a list of them)."""

    records: list[CreditRecord] = field(default_factory=list)

    @property
    def negative(self) -> list[CreditRecord]:
        return [r for r in self.records if r.polarity == Polarity.NEGATIVE]

    @property
    def positive(self) -> list[CreditRecord]:
        return [r for r in self.records if r.polarity == Polarity.POSITIVE]

    @property
    def needs_reason(self) -> bool:
        return bool(self.negative)

    def __bool__(self) -> bool:
        return bool(self.records)


def credit_alerts(
    *,
    experts: Iterable[int | None] = (),
    enterprises: Iterable[int | None] = (),
    reviewers: Iterable[int | None] = (),
    institutions: Iterable[int | None] = (),
    today: date | None = None,
) -> CreditAlerts:
    """The active (confirmed, not past their last day) records of the given subjects, in one query. Each
    argument is a list of ids or a QuerySet of ids (`values_list("pk", flat=True)`, used as a subquery)."""
    today = today or timezone.localdate()

    def clean(values):
        return values if isinstance(values, QuerySet) else {i for i in values if i}

    ids = {
        SubjectKind.EXPERT: clean(experts),
        SubjectKind.ENTERPRISE: clean(enterprises),
        SubjectKind.REVIEWER: clean(reviewers),
        SubjectKind.INSTITUTION: clean(institutions),
    }
    ids = {k: v for k, v in ids.items() if isinstance(v, QuerySet) or v}
    if not ids:
        return CreditAlerts()
    qs = (
        CreditRecord.objects.filter(_subject_q(ids), state=CreditState.CONFIRMED, valid_until__gte=today)
        .select_related(*SUBJECT_RELATED)
        .order_by("polarity", "-occurred_on", "pk")
    )
    return CreditAlerts(records=list(qs))
