"""Factories for the projects tests. The experts/enterprises records they need are built directly here
(minimal valid rows), so the projects tests do not depend on other branches' factories."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.enums import Role
from enterprises.enums import EnterpriseState, IntentInitiator, IntentState
from enterprises.models import Demand, Enterprise, EnterpriseMember, Industry, Intent
from experts.models import Discipline, Expert, Institution
from projects import services
from projects.enums import ProjectState
from projects.models import Project, Reviewer, ReviewRound
from tests.factories.accounts import UserFactory
from tests.factories.experts import pool_expert

_seq = itertools.count(1)

BUDGET = {
    "budget_equipment": Decimal("200000.00"),
    "budget_materials": Decimal("150000.00"),
    "budget_testing": Decimal("50000.00"),
    "budget_travel": Decimal("20000.00"),
    "budget_labour": Decimal("50000.00"),
    "budget_management_fee": Decimal("25000.00"),
    "budget_other": Decimal("5000.00"),
}


def filing_data(**overrides) -> dict:
    data = {
        "title": "高通量抗体筛选平台合作开发",
        "social_science": False,
        "technical_field": "生物医药",
        "objectives": "建立抗体药物高通量筛选平台",
        "content": "抗体偶联药物 单克隆抗体 筛选 工艺开发",
        "expected_results": "申请发明专利2项，完成中试",
        "schedule": "2026年12月 完成平台搭建\n2027年6月 完成中试",
        "position": "vp",
        "requested_start": date(2027, 1, 1),
        "total_funds": Decimal("500000.00"),
        **BUDGET,
    }
    data.update(overrides)
    return data


def institution(name: str | None = None) -> Institution:
    name = name or f"测试大学{next(_seq)}"
    return Institution.objects.get_or_create(name=name, defaults={"is_985": True})[0]


def discipline() -> Discipline:
    found = Discipline.objects.order_by("pk").first()
    return found or Discipline.objects.create(code="0710", name="生物学")


def expert(*, institution_obj: Institution | None = None, user=None, name: str | None = None) -> Expert:
    n = next(_seq)
    made = pool_expert(
        user=user or UserFactory(roles=[Role.EXPERT]),
        name=name or f"专家{n}",
        id_number_hash=f"hash-{n}-{timezone.now().timestamp()}",
        institution=institution_obj or institution(),
        discipline=discipline(),
    )
    made.save(force_insert=True)
    return made


def industry(*, leading: bool = True) -> Industry:
    found = Industry.objects.filter(is_leading=leading).order_by("pk").first()
    if found is not None:
        return found
    code = "pharma-test" if leading else "other-test"
    name = "医药健康（测试）" if leading else "其他（测试）"
    return Industry.objects.create(code=code, name=name, is_leading=leading)


def enterprise(*, leading: bool = True) -> tuple[Enterprise, object]:
    """An enterprise with one member user (returned beside it)."""
    n = next(_seq)
    ent = Enterprise.objects.create(
        name=f"测试生物科技有限公司{n}",
        uscc=f"91110114MA{n:08d}"[:18],
        registered_address="北京市昌平区",
        industry=industry(leading=leading),
        size="small",
        contact_name="陈",
        contact_phone="13800000000",
        contact_email=f"c{n}@example.cn",
        state=EnterpriseState.VERIFIED,
    )
    user = UserFactory(roles=[Role.ENTERPRISE])
    EnterpriseMember.objects.create(enterprise=ent, user=user, is_admin=True)
    return ent, user


def intent(*, ent: Enterprise | None = None, exp: Expert | None = None) -> Intent:
    if ent is None:
        ent, _user = enterprise()
    demand = Demand.objects.create(
        enterprise=ent,
        title="抗体药物研发需求",
        description="需要抗体偶联药物方向专家",
        technical_field="生物医药",
        keywords="抗体,偶联药物",
        industry=ent.industry,
        expected_work="指导工艺开发",
        deadline=date.today() + timedelta(days=60),
        state="published",
        published_at=timezone.now(),
    )
    return Intent.objects.create(
        demand=demand,
        expert=exp or expert(),
        initiator=IntentInitiator.ENTERPRISE,
        state=IntentState.ACCEPTED,
        expires_at=timezone.now() + timedelta(days=30),
        responded_at=timezone.now(),
    )


def member_of(project: Project):
    return project.enterprise.members.first().user


def commission():
    return UserFactory(roles=[Role.COMMISSION])


def talent_office():
    return UserFactory(roles=[Role.TALENT_OFFICE])


PLAN_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def plan_file(name="plan.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PLAN_PDF, content_type="application/pdf")


def project(
    *, state: str = ProjectState.DRAFT, ent=None, exp=None, round: ReviewRound | None = None, **data
) -> Project:
    """A project driven through the real services up to `state` (draft, submitted, accepted)."""
    it = intent(ent=ent, exp=exp)
    user = it.demand.enterprise.members.first().user
    proj = services.project_create(
        intent=it, by=user, data=filing_data(**data), files={"cooperation_plan": plan_file()}
    )
    if state == ProjectState.DRAFT:
        return proj
    services.project_confirm(project=proj, by=proj.expert.user)
    proj.refresh_from_db()
    proj = services.project_submit(project=proj, by=user)
    if state == ProjectState.SUBMITTED:
        return proj
    staff = commission()
    proj = services.project_accept(project=proj, round=round or review_round(), by=staff)
    return proj


def review_round(**overrides) -> ReviewRound:
    n = next(_seq)
    data = {
        "name": f"2026年第{n}批科技副总项目评审",
        "period_start": date.today(),
        "period_end": date.today() + timedelta(days=30),
        "deadline": timezone.now() + timedelta(days=20),
        "reviewers_per_application": 3,
    }
    data.update(overrides)
    return services.round_create(by=commission(), data=data)


def reviewer(
    *,
    expertise: str = "抗体 药物 生物医药",
    institution_obj=None,
    institution_name: str = "",
    enterprises=(),
    expert_obj=None,
    capacity=None,
    user=None,
) -> Reviewer:
    n = next(_seq)
    return services.reviewer_upsert(
        user=user or UserFactory(roles=[Role.REVIEWER]),
        by=None,
        name=f"评审专家{n}",
        expertise=expertise,
        institution=institution_obj,
        institution_name=institution_name or ("" if institution_obj else f"评审单位{n}"),
        expert=expert_obj,
        enterprises=enterprises,
        capacity=capacity,
    )
