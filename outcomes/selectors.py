"""Reads of service outcomes, filtered by what the user may see (a foreign record is a 404): the same
relationships as terms.selectors.appointment_visibility — staff and the talent office read all, the
enterprise, the expert and the nominating institution their appointments' outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from accounts.enums import Role
from terms.selectors import appointment_visibility

from . import policy
from .enums import PENDING_STATES, OutcomeState, Side
from .models import Outcome, OutcomeKind, ProjectTarget, TargetOverride


def outcome_visibility(user) -> Q | None:
    return appointment_visibility(user, via="appointment__")


def _base() -> QuerySet:
    return Outcome.objects.select_related(
        "kind", "appointment__expert__institution", "appointment__enterprise__industry", "reported_by"
    )


def outcome_list(*, user) -> QuerySet:
    visible = outcome_visibility(user)
    if visible is None:
        return Outcome.objects.none()
    return _base().filter(pk__in=Outcome.objects.filter(visible).values("pk")).order_by("-achieved_on", "-id")


def outcome_get(*, user, pk: int) -> Outcome:
    return outcome_list(user=user).get(pk=pk)


def kinds_active() -> QuerySet:
    return OutcomeKind.objects.filter(is_active=True).order_by("order", "id")


def appointment_outcomes(appointment) -> QuerySet:
    return (
        Outcome.objects.filter(appointment=appointment).select_related("kind").order_by("-achieved_on", "-id")
    )


def pending_count(appointment) -> int:
    return Outcome.objects.filter(appointment=appointment, state__in=PENDING_STATES).count()


def awaiting_confirmation_for(user) -> QuerySet:
    """Outcomes waiting for `user` as the other side of the appointment (their work list)."""
    q = Q(pk__in=[])
    if user.has_role(Role.ENTERPRISE):
        q |= Q(side=Side.EXPERT, appointment__enterprise__members__user=user)
    if user.has_role(Role.EXPERT):
        q |= Q(side=Side.ENTERPRISE, appointment__expert__user=user)
    return Outcome.objects.filter(q, state=OutcomeState.AWAITING_CONFIRMATION).exclude(reported_by=user)


def returned_for(user) -> QuerySet:
    """Outcomes returned to `user`'s side for more evidence or after a dispute."""
    q = Q(pk__in=[])
    if user.has_role(Role.ENTERPRISE):
        q |= Q(side=Side.ENTERPRISE, appointment__enterprise__members__user=user)
    if user.has_role(Role.EXPERT):
        q |= Q(side=Side.EXPERT, appointment__expert__user=user)
    return Outcome.objects.filter(q, state=OutcomeState.RETURNED)


# --- targets vs. verified outcomes ----------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRow:
    target: ProjectTarget
    verified_quantity: int
    verified_amount: Decimal
    computed: bool
    met: bool
    override_reason: str

    @property
    def overridden(self) -> bool:
        return self.met != self.computed


def target_table(appointment) -> list[TargetRow]:
    """The project's targets against the appointment's verified outcomes (two queries plus overrides):
    "met" as computed (outcomes.policy.target_met), or as overridden with its reason."""
    targets = list(ProjectTarget.objects.filter(project_id=appointment.project_id).select_related("kind"))
    if not targets:
        return []
    totals = {
        row["kind_id"]: row
        for row in Outcome.objects.filter(appointment=appointment, state=OutcomeState.VERIFIED)
        .values("kind_id")
        .annotate(q=Sum("quantity"), a=Sum("amount"))
    }
    overrides = {o.target_id: o for o in TargetOverride.objects.filter(appointment=appointment)}
    rows = []
    for t in targets:
        got = totals.get(t.kind_id, {})
        quantity, amount = got.get("q") or 0, got.get("a") or Decimal("0.00")
        computed = policy.target_met(
            target_quantity=t.quantity,
            target_amount=t.amount,
            verified_quantity=quantity,
            verified_amount=amount,
        )
        override = overrides.get(t.pk)
        rows.append(
            TargetRow(
                target=t,
                verified_quantity=quantity,
                verified_amount=amount,
                computed=computed,
                met=override.met if override else computed,
                override_reason=override.reason if override else "",
            )
        )
    return rows


# --- totals (dashboard, annual report) --------------------------------------------------------------------


def verified_outcomes(*, year: int | None = None) -> QuerySet:
    """The outcomes the totals count: verified only, in the year they were achieved."""
    qs = Outcome.objects.filter(state=OutcomeState.VERIFIED)
    if year is not None:
        qs = qs.filter(achieved_on__year=year)
    return qs


def outcome_totals(*, year: int | None = None) -> dict:
    """The 成果 section: verified outcomes of `year` by kind, by industry and by institution, and of every
    year by year — each row the count of outcomes and the sums of their quantities and amounts (what the
    outcome list filtered the same way adds up to). Four GROUP BY queries."""
    qs = verified_outcomes(year=year)
    sums = {"outcomes": Count("pk"), "quantity": Sum("quantity"), "amount": Sum("amount")}

    def group(*fields, order):
        return list(qs.values(*fields).annotate(**sums).order_by(*order))

    by_kind = group("kind_id", "kind__name", "kind__unit", "kind__order", order=("kind__order", "kind_id"))
    by_year = list(
        verified_outcomes()
        .annotate(year=ExtractYear("achieved_on"))
        .values("year")
        .annotate(**sums)
        .order_by("year")
    )
    return {
        "by_kind": by_kind,
        "by_year": by_year,
        "by_industry": group(
            "appointment__enterprise__industry_id",
            "appointment__enterprise__industry__name",
            order=("appointment__enterprise__industry__name", "appointment__enterprise__industry_id"),
        ),
        "by_institution": group(
            "appointment__expert__institution_id",
            "appointment__expert__institution__name",
            order=("appointment__expert__institution__name", "appointment__expert__institution_id"),
        ),
        "total": {
            "outcomes": sum(r["outcomes"] for r in by_kind),
            "quantity": sum(r["quantity"] or 0 for r in by_kind),
            "amount": sum((r["amount"] or Decimal("0.00") for r in by_kind), Decimal("0.00")),
        },
    }


def target_indicator(target: ProjectTarget) -> str:
    """The indicator text of a structured target in the term report's table (how the rows are matched)."""
    return f"{target.kind.name}（{target.kind.unit}）"


def _target_text(target: ProjectTarget) -> str:
    parts = []
    if target.quantity is not None:
        parts.append(f"{target.quantity} {target.kind.unit}")
    if target.amount is not None:
        parts.append(f"{target.amount:,.2f} 元")
    return "，".join(parts)


def report_rows(appointment) -> list[dict]:
    """Initial rows of the term report's indicator table: each structured target with the verified
    outcomes against it and "met" as the target table says (computed, or overridden with a reason)."""
    rows = []
    for r in target_table(appointment):
        achieved = f"已核实 {r.verified_quantity} {r.target.kind.unit}"
        if r.target.amount is not None:
            achieved += f"，合计 {r.verified_amount:,.2f} 元"
        rows.append(
            {
                "indicator": target_indicator(r.target),
                "target": _target_text(r.target),
                "achieved": achieved,
                "met": r.met,
            }
        )
    return rows
