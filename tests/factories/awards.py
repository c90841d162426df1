"""Factories for the awards tests: completed projects (a real Completion row, as terms records it on
accepting the term-end report), cycles made by the awards services, and a reviewer pool."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.enums import Role
from awards import services
from awards.enums import CycleState
from awards.models import AwardCycle
from tests.factories import projects as pf
from tests.factories import subsidies as sf
from tests.factories.accounts import UserFactory

EVIDENCE = {
    "summary": "完成连接子公斤级工艺放大，收率提高25%，产品已进入临床前研究。",
    "patents": "发明专利ZL202510000001.X（授权）",
    "products": "ADC连接子中间体1个",
    "revenue": "新增销售收入1200万元",
    "standards": "",
    "papers": "SCI论文2篇",
}


def completed(*, year: int = 2025, ent=None, exp=None, accepted_on: date | None = None):
    """A project completed (结题) in `year`: an ended appointment, its accepted term-end report and the
    Completion row. Returns the project."""
    from projects.models import Project
    from terms.enums import ReportState
    from terms.models import Completion, TermReport

    appointment = sf.appointment(start=date(year - 2, 3, 1), ent=ent, exp=exp, state="ended")
    Project.objects.filter(pk=appointment.project_id).update(state="completed")
    staff = pf.commission()
    report = TermReport.objects.create(
        appointment=appointment, summary="服务期工作总结", state=ReportState.ACCEPTED, drafted_by=staff
    )
    Completion.objects.create(
        project=appointment.project,
        appointment=appointment,
        report=report,
        accepted_on=accepted_on or date(year, 4, 15),
        accepted_by=staff,
    )
    project = appointment.project
    project.refresh_from_db()
    return project


def not_completed(*, year: int = 2025):
    """An appointed project whose term-end report was never accepted (no Completion)."""
    appointment = sf.appointment(start=date(year - 2, 3, 1))
    return appointment.project


def staff():
    return UserFactory(roles=[Role.COMMISSION])


def enterprise_user(project):
    return project.enterprise.members.first().user


def cycle(
    *, year: int = 2025, by=None, quotas=(1, 2, 3), state: str = CycleState.OPEN, **overrides
) -> AwardCycle:
    by = by or staff()
    sf.ensure_policy_2_0()
    today = timezone.localdate()
    data = {
        "title": f"{year}年度“科技副总”年度评选",
        "budget_year": today.year,
        "quota_first": quotas[0],
        "quota_second": quotas[1],
        "quota_third": quotas[2],
        "apply_start": today - timedelta(days=10),
        "apply_end": today + timedelta(days=10),
        "score_deadline": timezone.now() + timedelta(days=30),
        "reviewers_per_application": 3,
    }
    data.update(overrides)
    c = services.cycle_create(by=by, year=year, data=data)
    if state != CycleState.DRAFT:
        c = services.cycle_open(cycle=c, by=by)
    return c


def apply(cycle_obj, project, **data):
    """A joint application driven through the services: created, confirmed by the expert, submitted."""
    user = enterprise_user(project)
    app = services.application_create(cycle=cycle_obj, project=project, by=user, data={**EVIDENCE, **data})
    app = services.application_confirm(application=app, by=project.expert.user)
    return services.application_submit(application=app, by=user)


def reviewers(n: int = 4, **kwargs):
    return [pf.reviewer(expertise="抗体 药物 生物医药 工艺", **kwargs) for _ in range(n)]


def review(cycle_obj, by):
    """Move an open cycle whose window is over into review (window ended yesterday)."""
    AwardCycle.objects.filter(pk=cycle_obj.pk).update(
        apply_end=timezone.localdate() - timedelta(days=1),
        apply_start=timezone.localdate() - timedelta(days=20),
    )
    cycle_obj.refresh_from_db()
    services.cycle_review_start(cycle=cycle_obj, by=by)
    cycle_obj.refresh_from_db()
    return cycle_obj


def in_review(by, *, applications: int = 1, pool: int = 4, **cycle_kwargs):
    """A cycle (`cycle`'s arguments) with `applications` completed projects applied, moved into review
    with `pool` reviewers to draw from. Returns (cycle, projects)."""
    c = cycle(by=by, **cycle_kwargs)
    projects_ = [completed() for _ in range(applications)]
    for p in projects_:
        apply(c, p)
    reviewers(pool)
    return review(c, by), projects_


def score_all(cycle_obj, totals_by_project: dict):
    """Submit every sheet: points spread over the criteria so that the sheet total is the given one."""
    for sheet in cycle_obj.sheets.filter(state="assigned").select_related("reviewer__user", "application"):
        submit_sheet(cycle_obj, sheet, totals_by_project[sheet.application.project_id])


def submit_sheet(cycle_obj, sheet, total, comment: str = "成果突出"):
    """Submit `sheet` with points spread over the criteria so that its total is `total`."""
    points, left = {}, Decimal(total)
    for criterion in cycle_obj.criteria.all():
        points[criterion.pk] = min(criterion.max_points, left)
        left -= points[criterion.pk]
    return services.sheet_save(
        sheet=sheet, by=sheet.reviewer.user, points=points, comment=comment, submit=True
    )


def published(*, totals=("90", "80"), quotas=(1, 1, 0), publish=True):
    """A cycle taken through review, decision and approval (and publication): one application per
    total, every sheet with that total. Returns (staff, cycle, projects)."""
    from subsidies.services import budget_save

    by = staff()
    c, projects_ = in_review(by, applications=len(totals), quotas=quotas)
    for project, total in zip(projects_, totals, strict=True):
        for sheet in c.sheets.filter(application__project=project).select_related("reviewer__user"):
            submit_sheet(c, sheet, total)
    services.cycle_close(cycle=c, by=by)
    budget_save(year=c.budget_year, amounts={"award": Decimal("950000.00")}, by=by)
    services.decision_autofill(cycle=c, by=by)
    services.cycle_approve(cycle=c, by=by)
    if publish:
        services.cycle_publish(cycle=c, by=by)
    c.refresh_from_db()
    return by, c, projects_
