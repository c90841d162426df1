"""Reads of the subsidies app, filtered by what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.enums import Role

from .enums import BudgetCategory, PaymentBatchState
from .models import Budget, BudgetCommitment, BudgetLine, Payment, PaymentBatch, PolicyVersion

ZERO = Decimal("0.00")
_MONEY0 = Value(ZERO, output_field=DecimalField(max_digits=14, decimal_places=2))


def policy_version_in_force(on: date) -> PolicyVersion:
    """The policy version whose effective date is the latest on or before `on`."""
    version = PolicyVersion.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if version is None:
        raise PolicyVersion.DoesNotExist(f"no policy version in force on {on:%Y-%m-%d}")
    return version


def appointment_policy_version(appointment) -> PolicyVersion:
    """The policy version an appointment's money and limits follow: the one recorded when it was set up
    (AppointmentTerms), else the one in force on its start date."""
    from .models import AppointmentTerms

    terms = AppointmentTerms.objects.select_related("policy_version").filter(appointment=appointment).first()
    if terms is not None:
        return terms.policy_version
    return policy_version_in_force(appointment.start_date)


@dataclass(frozen=True)
class BudgetRow:
    category: str
    label: str
    budget: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed

    @property
    def over(self) -> bool:
        return self.remaining < 0


def budget_summary(year: int) -> list[BudgetRow]:
    """Budget, committed, paid and remaining per category for `year` (three aggregate queries)."""
    budgets = dict(BudgetLine.objects.filter(budget__year=year).values_list("category", "amount"))
    committed = dict(
        BudgetCommitment.objects.filter(year=year)
        .values("category")
        .annotate(s=Sum("amount"))
        .values_list("category", "s")
    )
    paid_rows = (
        Payment.objects.filter(budget_year=year, paid_on__isnull=False)
        .values("category")
        .annotate(
            plus=Coalesce(Sum("amount", filter=Q(reversal_of__isnull=True)), _MONEY0),
            minus=Coalesce(Sum("amount", filter=Q(reversal_of__isnull=False)), _MONEY0),
        )
    )
    paid = {r["category"]: r["plus"] - r["minus"] for r in paid_rows}
    return [
        BudgetRow(
            category=c.value,
            label=str(c.label),
            budget=budgets.get(c.value, ZERO),
            committed=committed.get(c.value) or ZERO,
            paid=paid.get(c.value, ZERO),
        )
        for c in BudgetCategory
    ]


def budget_remaining(year: int, category: str) -> Decimal:
    row = next(r for r in budget_summary(year) if r.category == category)
    return row.remaining


def budget_list():
    return Budget.objects.prefetch_related("lines").order_by("-year")


def commitment_list(year: int):
    return BudgetCommitment.objects.filter(year=year).select_related("created_by", "override_by")


def batch_list(user):
    """Commission staff see every batch; finance sees the batches submitted to it and after."""
    qs = PaymentBatch.objects.annotate(
        payment_count=Count("payments"),
        payment_total=Coalesce(Sum("payments__amount"), _MONEY0),
    ).order_by("-created_at", "-id")
    if user.has_role(Role.COMMISSION):
        return qs
    if user.has_role(Role.FINANCE):
        return qs.exclude(state=PaymentBatchState.DRAFT)
    return qs.none()


def batch_get(user, pk: int) -> PaymentBatch:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(batch_list(user), pk=pk)


def batch_payments(batch: PaymentBatch):
    return batch.payments.select_related("bank_account").order_by("payee_name", "due_on", "id")


def batch_totals(batch: PaymentBatch) -> tuple[int, Decimal]:
    agg = batch.payments.aggregate(n=Count("id"), total=Coalesce(Sum("amount"), _MONEY0))
    return agg["n"], agg["total"]


def payment_due_list():
    """Payments not yet in a batch and not paid (reversing entries are never batched)."""
    from .enums import InstalmentState

    # A suspended subsidy instalment (early termination, SPEC §5) is not due until the commission decides.
    return (
        Payment.objects.filter(batch__isnull=True, paid_on__isnull=True, reversal_of__isnull=True)
        .exclude(instalment__state=InstalmentState.SUSPENDED)
        .select_related("bank_account")
    )


def matching_overdue(*, as_of: date):
    """Enterprise matching allowances unconfirmed more than a month after they fell due (flagged to staff)."""
    from dateutil.relativedelta import relativedelta

    from .enums import AllowanceKind
    from .models import AllowancePayment

    return (
        AllowancePayment.objects.filter(
            kind=AllowanceKind.MATCHING,
            confirmed_on__isnull=True,
            settled_outside=False,  # settled outside the portal before it went live: never due here
            due_on__lt=as_of - relativedelta(months=1),
        )
        .select_related("appointment__expert", "appointment__enterprise")
        .order_by("due_on", "appointment_id", "month")
    )


@dataclass(frozen=True)
class SettledOutsideRow:
    """What was settled outside the portal before it went live (SPEC §5), per kind, for one year."""

    kind: str
    label: str
    count: int
    amount: Decimal


def settled_outside_summary(year: int | None = None) -> list[SettledOutsideRow]:
    """Allowance months and subsidy instalments recorded as settled outside the portal (never due in it),
    counted per kind — district allowance, enterprise matching, project subsidy — for the budget year of
    their due date (`year`; None: all years). Two aggregate queries; the dashboard and the annual report
    show these beside the portal's own budget figures."""
    from .enums import AllowanceKind
    from .models import AllowancePayment, SubsidyInstalment

    allowances = AllowancePayment.objects.filter(settled_outside=True)
    instalments = SubsidyInstalment.objects.filter(settled_outside=True)
    if year is not None:
        allowances = allowances.filter(budget_year=year)
        instalments = instalments.filter(due_on__year=year)
    per_kind = {
        k: (n, a)
        for k, n, a in allowances.values_list("kind").annotate(n=Count("id"), a=Sum("amount")).order_by()
    }
    inst = instalments.aggregate(n=Count("id"), a=Sum("amount"))
    zero = ZERO
    per_kind = {k: (n, (a or ZERO).quantize(ZERO)) for k, (n, a) in per_kind.items()}
    inst["a"] = (inst["a"] or ZERO).quantize(ZERO)
    return [
        SettledOutsideRow(
            AllowanceKind.DISTRICT,
            str(AllowanceKind.DISTRICT.label),
            per_kind.get(AllowanceKind.DISTRICT, (0, zero))[0],
            per_kind.get(AllowanceKind.DISTRICT, (0, zero))[1] or zero,
        ),
        SettledOutsideRow(
            AllowanceKind.MATCHING,
            str(AllowanceKind.MATCHING.label),
            per_kind.get(AllowanceKind.MATCHING, (0, zero))[0],
            per_kind.get(AllowanceKind.MATCHING, (0, zero))[1] or zero,
        ),
        SettledOutsideRow("subsidy", str(_("项目资金补贴")), inst["n"] or 0, inst["a"] or zero),
    ]


def appointment_allowance_history(appointment) -> list[dict]:
    """An appointment's allowance months per kind: generated, settled outside the portal before it went
    live, and handled in the portal (one GROUP BY query) — the history on the staff's subsidy page."""
    from .enums import AllowanceKind
    from .models import AllowancePayment

    counts = {
        (kind, settled): n
        for kind, settled, n in AllowancePayment.objects.filter(appointment=appointment)
        .values_list("kind", "settled_outside")
        .annotate(n=Count("id"))
        .order_by()
    }
    return [
        {
            "label": kind.label,
            "settled_outside": counts.get((kind.value, True), 0),
            "portal": counts.get((kind.value, False), 0),
        }
        for kind in AllowanceKind
    ]


def expert_of(user):
    from experts.models import Expert

    return Expert.objects.filter(user=user).first() if user.is_authenticated else None


def enterprise_of(user):
    from enterprises.models import Enterprise

    if not user.is_authenticated:
        return None
    return Enterprise.objects.filter(members__user=user).first()


def expert_allowances(user):
    """The expert's own allowance months (both kinds), with the district payment's state."""
    from .models import AllowancePayment

    expert = expert_of(user)
    if expert is None:
        return AllowancePayment.objects.none()
    return (
        AllowancePayment.objects.filter(appointment__expert=expert)
        .select_related("payment", "appointment__enterprise")
        .order_by("-period_start", "kind")
    )


def expert_payments(user):
    """Every district payment to the expert (allowances, awards), reversals included."""
    expert = expert_of(user)
    if expert is None:
        return Payment.objects.none()
    return Payment.objects.filter(expert=expert).order_by("-due_on", "-id")


def enterprise_subsidies(user):
    from .models import ProjectSubsidy

    ent = enterprise_of(user)
    if ent is None:
        return ProjectSubsidy.objects.none()
    return (
        ProjectSubsidy.objects.filter(enterprise=ent)
        .select_related("expert", "appointment__project")
        .prefetch_related("instalments__payment")
    )


def enterprise_matching(user):
    from .enums import AllowanceKind
    from .models import AllowancePayment

    ent = enterprise_of(user)
    if ent is None:
        return AllowancePayment.objects.none()
    return (
        AllowancePayment.objects.filter(appointment__enterprise=ent, kind=AllowanceKind.MATCHING)
        .select_related("appointment__expert")
        .order_by("confirmed_on", "-due_on", "appointment_id")
    )


def subsidy_list():
    from .models import ProjectSubsidy

    return ProjectSubsidy.objects.select_related(
        "expert", "enterprise", "appointment__project"
    ).prefetch_related("instalments__payment")


def batch_maker_roles(batch: PaymentBatch) -> dict[int, list]:
    """Everyone who made the batch (SPEC §5 maker-checker), user id → what they did, in order: created it
    (`created_by` and the initial transition), added payments to it (PaymentBatchChange; for batches
    from before those were recorded, the audit log's "paymentbatch.add" events), submitted it."""
    from django.utils.translation import pgettext_lazy

    from core.models import AuditEvent

    from .models import PaymentBatchChange

    makers: dict[int, list] = {}

    def note(user_id, what):
        if user_id is not None and what not in makers.setdefault(user_id, []):
            makers[user_id].append(what)

    note(batch.created_by_id, pgettext_lazy("batch maker", "创建人"))
    for from_state, to_state, actor_id in batch.transitions.values_list("from_state", "to_state", "actor_id"):
        if from_state == "" and to_state == PaymentBatchState.DRAFT:
            note(actor_id, pgettext_lazy("batch maker", "创建人"))
    adders = set(
        batch.changes.filter(action=PaymentBatchChange.Action.ADD).values_list("actor_id", flat=True)
    )
    adders |= set(
        AuditEvent.objects.filter(
            action="paymentbatch.add", target_type=batch._meta.label_lower, target_id=str(batch.pk)
        ).values_list("actor_id", flat=True)
    )
    for actor_id in sorted(a for a in adders if a is not None):
        note(actor_id, pgettext_lazy("batch maker", "款项加入人"))
    for to_state, actor_id in batch.transitions.values_list("to_state", "actor_id"):
        if to_state == PaymentBatchState.SUBMITTED:
            note(actor_id, pgettext_lazy("batch maker", "提交人"))
    return makers
