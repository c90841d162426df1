"""The programme at a glance: every figure is one aggregate (GROUP BY or conditional COUNT) query, so the
dashboard costs a small constant number of queries at any size. Each figure is defined exactly as the
list it links to filters (the test compares them), e.g. experts by kind = the pool filtered by
`institution_kind`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from enterprises.enums import EnterpriseState, IntentState
from enterprises.models import Demand, Enterprise, Industry, Intent
from experts.enums import KIND_FIELDS, InstitutionKind
from experts.models import Discipline, Expert, Institution
from projects.enums import AppointmentState, ProjectState
from projects.models import Appointment, Project
from projects.selectors import appointments_active
from subsidies.selectors import budget_summary, settled_outside_summary

from .hooks import award_summary

ENDING_SOON_DAYS = 90
TOP_DISCIPLINES = 15


@dataclass
class Row:
    label: str
    count: int | Decimal
    url: str = ""
    highlight: bool = False
    extra: dict = field(default_factory=dict)


def _url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


@dataclass
class PoolCounts:
    """Pool experts per institution and per discipline, and those admitted in the year: three GROUP BY /
    COUNT queries that the pool list's indexes on (in_pool, institution, …), (in_pool, discipline, …)
    and (in_pool, admitted_at, …) answer with index-only scans; kinds and disciplines are summed from them
    (an institution's kinds are its flags)."""

    total: int
    by_institution: dict[int, int]
    by_discipline: dict[int, int]
    admitted_in_year: int = 0


def pool_counts(year: int | None = None) -> PoolCounts:
    pool = Expert.objects.filter(in_pool=True)
    by_institution = dict(pool.values_list("institution_id").annotate(n=Count("id")).order_by())
    by_discipline = dict(pool.values_list("discipline_id").annotate(n=Count("id")).order_by())
    admitted = pool.filter(admitted_at__year=year).count() if year else 0
    return PoolCounts(sum(by_institution.values()), by_institution, by_discipline, admitted)


def experts_by_kind(counts: PoolCounts | None = None) -> list[Row]:
    """Pool experts per institution kind, as `institution_kind_q` (the pool list's filter) defines it."""
    counts = counts or pool_counts()
    fields = [KIND_FIELDS[k.value] for k in InstitutionKind]
    flags = Institution.objects.filter(pk__in=list(counts.by_institution)).values_list("pk", *fields)
    per_kind = dict.fromkeys(InstitutionKind.values, 0)
    for pk, *values in flags:
        for kind, flag in zip(InstitutionKind.values, values, strict=True):
            if flag:
                per_kind[kind] += counts.by_institution[pk]
    rows = [
        Row(str(k.label), per_kind[k.value], _url("experts:expert-list", institution_kind=k.value))
        for k in InstitutionKind
    ]
    return [Row(_("在库专家合计"), counts.total, _url("experts:expert-list")), *rows]


def experts_by_discipline(counts: PoolCounts | None = None, limit: int = TOP_DISCIPLINES) -> list[Row]:
    counts = counts or pool_counts()
    names = dict(Discipline.objects.filter(pk__in=list(counts.by_discipline)).values_list("pk", "name"))
    top = sorted(counts.by_discipline.items(), key=lambda item: (-item[1], names.get(item[0], "")))[:limit]
    label = {pk: _(name) if name else "" for pk, name in names.items()}
    return [Row(label.get(pk, ""), n, _url("experts:expert-list", discipline=pk)) for pk, n in top]


def enterprises_by_industry() -> list[Row]:
    """Verified enterprises per industry (all industries, leading ones first and highlighted)."""
    rows = (
        Industry.objects.annotate(
            n=Count("enterprises", filter=Q(enterprises__state=EnterpriseState.VERIFIED))
        )
        .filter(Q(active=True) | Q(n__gt=0))
        .order_by("-is_leading", "order", "name")
        .values("code", "name", "is_leading", "n")
    )
    return [
        Row(
            _(r["name"]),
            r["n"],
            _url("enterprises:enterprise-list", state=EnterpriseState.VERIFIED, industry=r["code"]),
            highlight=r["is_leading"],
        )
        for r in rows
    ]


def matching_funnel(year: int) -> list[Row]:
    """Demands published in `year` → intents started in `year` → of those accepted → projects submitted
    (立项申报) in `year`."""
    demands = Demand.objects.filter(published_at__year=year).count()
    intents = Intent.objects.filter(created_at__year=year).aggregate(
        total=Count("id"), accepted=Count("id", filter=Q(state=IntentState.ACCEPTED))
    )
    projects = Project.objects.filter(submitted_at__year=year).count()
    return [
        Row(pgettext("figure", "发布需求"), demands, _url("enterprises:demand-list", year=year)),
        Row(_("对接意向"), intents["total"], _url("enterprises:intent-list", year=year)),
        Row(
            _("达成合作意向"),
            intents["accepted"],
            _url("enterprises:intent-list", year=year, state=IntentState.ACCEPTED),
        ),
        Row(_("申报合作项目"), projects, _url("projects:project-list", year=year)),
    ]


def projects_by_state() -> list[Row]:
    counts = dict(
        Project.objects.exclude(state=ProjectState.DRAFT)
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        Row(str(s.label), counts.get(s.value, 0), _url("projects:project-list", state=s.value))
        for s in ProjectState
        if s != ProjectState.DRAFT
    ]


def projects_by_round(year: int) -> list[Row]:
    """Projects of each review round whose review period starts in `year`."""
    rows = (
        Project.objects.filter(round__period_start__year=year)
        .values("round_id", "round__name")
        .annotate(n=Count("id"))
        .order_by("round__period_start", "round_id")
    )
    return [Row(r["round__name"], r["n"], _url("projects:project-list", round=r["round_id"])) for r in rows]


def appointments_summary(as_of: date) -> list[Row]:
    soon = as_of + timedelta(days=ENDING_SOON_DAYS)
    counts = appointments_active().aggregate(
        active=Count("id"),
        ending=Count("id", filter=Q(end_date__gte=as_of, end_date__lte=soon)),
    )
    return [
        Row(_("聘任中"), counts["active"], _url("terms:appointment-list", state=AppointmentState.ACTIVE)),
        Row(
            _("%(days)d天内届满") % {"days": ENDING_SOON_DAYS},
            counts["ending"],
            _url("terms:appointment-list", ending_within=ENDING_SOON_DAYS),
        ),
    ]


def year_new(year: int, pool: PoolCounts) -> list[Row]:
    """What the year added: experts admitted to the pool, enterprises verified, appointments started."""
    enterprises = Enterprise.objects.filter(verified_at__year=year, state=EnterpriseState.VERIFIED).count()
    appointments = Appointment.objects.filter(start_date__year=year).count()
    return [
        Row(_("新入库专家"), pool.admitted_in_year),
        Row(_("新认证企业"), enterprises),
        Row(_("新聘任科技副总"), appointments),
    ]


def money(year: int) -> list:
    """subsidies.selectors.budget_summary: budget, committed, paid, remaining per category."""
    return budget_summary(year)


def awards(year: int | None = None) -> list[dict]:
    return award_summary(year)


@dataclass
class Headline:
    """A headline figure of the dashboard: the value, what it is compared with, where it comes from."""

    label: str
    value: str
    note: str = ""
    url: str = ""
    change: str = ""  # "+2", "-10.0%" … year on year; "" when there is nothing to compare with


def _change(now: int | Decimal, before: int | Decimal) -> str:
    """“同比 +2（+50.0%）”: the change against the year before, in figures and percent."""
    diff = now - before
    sign = "+" if diff > 0 else ""
    if not before:
        return _("同比 %(diff)s") % {"diff": f"{sign}{diff}"}
    percent = (Decimal(diff) * 100 / Decimal(before)).quantize(Decimal("0.1"))
    return _("同比 %(diff)s（%(percent)s%%）") % {"diff": f"{sign}{diff}", "percent": f"{sign}{percent}"}


def _rate(rows) -> tuple[Decimal, Decimal, Decimal | None]:
    budget = sum((r.budget for r in rows), Decimal("0"))
    paid = sum((r.paid for r in rows), Decimal("0"))
    return budget, paid, (paid * 100 / budget).quantize(Decimal("0.1")) if budget else None


def headline(
    *, year: int, as_of: date, money_rows: list, in_service: int, admitted: int, new_appointments: int
) -> list:
    """在聘人数 (now), 资金执行率 (paid ÷ budget of `year`, and the year before), and the year's new
    appointments and new pool experts against the year before: the figures the dashboard opens with.
    The figures of the year come from the sections already drawn (`in_service` is the appointments
    chart's 聘任中, `appointments_active`); the year before costs five queries."""
    before = Appointment.objects.filter(start_date__year=year - 1).count()
    admitted_before = Expert.objects.filter(in_pool=True, admitted_at__year=year - 1).count()
    budget, paid, rate = _rate(money_rows)
    _b, _p, rate_before = _rate(budget_summary(year - 1))
    return [
        Headline(
            _("在聘人数"),
            str(in_service),
            _("截至 %(d)s 聘任中的科技副总") % {"d": as_of.isoformat()},
            _url("terms:appointment-list", state=AppointmentState.ACTIVE),
        ),
        Headline(
            _("资金执行率"),
            f"{rate}%" if rate is not None else "—",
            _("%(year)s年度已支付 %(paid)s 元 / 预算 %(budget)s 元")
            % {"year": year, "paid": f"{paid:,.2f}", "budget": f"{budget:,.2f}"},
            change=(
                _("上年 %(rate)s%%") % {"rate": rate_before}
                if rate_before is not None
                else _("上年无预算")
            ),
        ),
        Headline(
            _("新聘任科技副总"),
            str(new_appointments),
            _("%(year)s年度，上年 %(n)s 人") % {"year": year, "n": before},
            change=_change(new_appointments, before),
        ),
        Headline(
            _("新入库专家"),
            str(admitted),
            _("%(year)s年度，上年 %(n)s 人") % {"year": year, "n": admitted_before},
            change=_change(admitted, admitted_before),
        ),
    ]


def dashboard_get(*, year: int, as_of: date) -> dict:
    pool = pool_counts(year)
    return {
        "year_new": year_new(year, pool),
        "experts_by_kind": experts_by_kind(pool),
        "experts_by_discipline": experts_by_discipline(pool),
        "enterprises_by_industry": enterprises_by_industry(),
        "funnel": matching_funnel(year),
        "projects_by_state": projects_by_state(),
        "projects_by_round": projects_by_round(year),
        "appointments": appointments_summary(as_of),
        "money": money(year),
        # SPEC §5 go-live cut-over: what was settled outside the portal (not in the budget figures above)
        "settled_outside": settled_outside_summary(year),
        "awards": awards(None),
    }


# --- the annual report (issue 19): one year's figures, and the same for the year before ----------------


def projects_completed(year: int) -> int:
    """Projects that reached 已结题 in `year` (the transition's date)."""
    from projects.models import ProjectTransition

    return (
        ProjectTransition.objects.filter(to_state=ProjectState.COMPLETED, created_at__year=year)
        .values("subject_id").distinct().count()
    )


def evaluation_grades(year: int) -> list[dict]:
    """Term-end evaluations finalised in `year`, per grade (best first): [{"grade", "label", "count"}]."""
    from terms.enums import EvaluationState, Grade
    from terms.models import Evaluation

    counts = dict(
        Evaluation.objects.filter(state=EvaluationState.FINALISED, finalised_on__year=year)
        .values_list("grade").annotate(n=Count("id")).order_by()
    )
    return [{"grade": g.value, "label": str(g.label), "count": counts.get(g.value, 0)} for g in Grade]


def annual_summary(year: int) -> dict:
    """The year's flow figures for the report's sentences (JSON-able: money as strings)."""
    pool = pool_counts(year)
    new = {r.label: r.count for r in year_new(year, pool)}
    funnel = matching_funnel(year)
    award_rows = awards(year)
    return {
        "experts_admitted": pool.admitted_in_year,
        "enterprises_verified": list(new.values())[1],
        "appointments_started": list(new.values())[2],
        "demands": funnel[0].count,
        "intents": funnel[1].count,
        "intents_accepted": funnel[2].count,
        "projects_submitted": funnel[3].count,
        "projects_completed": projects_completed(year),
        "paid": {m.category: str(m.paid) for m in money(year)},
        "awards_count": sum(r["count"] for r in award_rows),
        "awards_amount": str(sum((Decimal(r["amount"]) for r in award_rows), Decimal("0.00"))),
        "awards": [
            {"level_label": r["level_label"], "count": r["count"], "amount": str(r["amount"])}
            for r in award_rows
        ],
        "grades": evaluation_grades(year),
    }
