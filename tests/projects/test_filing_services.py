"""Project filing services against PostgreSQL: declaration, confirmation, submission, formal check, and
every transition of the project table (the allowed and the forbidden ones), bad input."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from core.workflow import TransitionError
from projects import services
from projects.enums import PROJECT_TRANSITIONS, ProjectState
from projects.exceptions import ProjectError
from projects.models import Project
from tests.factories import projects as f

pytestmark = pytest.mark.django_db


# --- filing ---------------------------------------------------------------------------------------


def test_create_from_accepted_intent_sets_parties():
    intent = f.intent()
    user = intent.demand.enterprise.members.first().user
    project = services.project_create(intent=intent, by=user, data=f.filing_data())
    assert project.state == ProjectState.DRAFT
    assert project.enterprise_id == intent.demand.enterprise_id
    assert project.expert_id == intent.expert_id
    assert project.budget_sum == Decimal("500000.00")


def test_create_refused_for_pending_intent():
    intent = f.intent()
    intent.state = "pending"
    intent.save()
    user = intent.demand.enterprise.members.first().user
    with pytest.raises(ProjectError, match="已接受"):
        services.project_create(intent=intent, by=user, data=f.filing_data())


def test_create_refused_for_other_enterprise_user():
    intent = f.intent()
    _other, other_user = f.enterprise()
    with pytest.raises(ProjectError):
        services.project_create(intent=intent, by=other_user, data=f.filing_data())
    assert Project.objects.count() == 0


def test_budget_not_adding_up_is_refused_and_nothing_saved():
    intent = f.intent()
    user = intent.demand.enterprise.members.first().user
    with pytest.raises(ProjectError, match="不一致"):
        services.project_create(intent=intent, by=user, data=f.filing_data(budget_other=Decimal("4000.00")))
    assert Project.objects.count() == 0


def test_management_fee_above_5pct_is_refused():
    intent = f.intent()
    user = intent.demand.enterprise.members.first().user
    data = f.filing_data(budget_management_fee=Decimal("26000.00"), budget_other=Decimal("4000.00"))
    with pytest.raises(ProjectError, match=re.escape("管理费 26,000.00 元超过项目经费的5%")):
        services.project_create(intent=intent, by=user, data=data)


def test_database_refuses_budget_not_adding_up():
    project = f.project()
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(budget_other=Decimal("1.00"))


def test_database_refuses_fee_above_5pct():
    project = f.project()
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(
            budget_management_fee=Decimal("25000.01"), budget_other=Decimal("4999.99")
        )


def test_submit_needs_expert_confirmation():
    project = f.project()
    with pytest.raises(ProjectError, match="专家尚未确认"):
        services.project_submit(project=project, by=f.member_of(project))
    assert Project.objects.get(pk=project.pk).state == ProjectState.DRAFT


def test_only_the_expert_confirms():
    project = f.project()
    with pytest.raises(ProjectError):
        services.project_confirm(project=project, by=f.member_of(project))
    services.project_confirm(project=project, by=project.expert.user)
    assert Project.objects.get(pk=project.pk).expert_confirmed_at is not None


def test_edit_withdraws_confirmation():
    project = f.project()
    services.project_confirm(project=project, by=project.expert.user)
    services.project_update(
        project=project, by=f.member_of(project), data=f.filing_data(title="新的项目名称")
    )
    project.refresh_from_db()
    assert project.title == "新的项目名称"
    assert project.expert_confirmed_at is None


def test_second_project_for_same_expert_is_refused():
    first = f.project()
    ent, _user = f.enterprise()
    second = f.project(ent=ent, exp=first.expert)  # two drafts may exist
    for project in (first, second):
        services.project_confirm(project=project, by=project.expert.user)
        project.refresh_from_db()
    services.project_submit(project=first, by=f.member_of(first))
    with pytest.raises(ProjectError, match="同一服务期内只能申报一个项目"):
        services.project_submit(project=second, by=f.member_of(second))
    assert Project.objects.get(pk=second.pk).state == ProjectState.DRAFT
    with pytest.raises(ProjectError, match="同一服务期内只能申报一个项目"):
        f.project(ent=ent, exp=first.expert)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=second.pk).update(state=ProjectState.SUBMITTED)


def test_return_needs_reason_and_keeps_history_then_resubmit():
    project = f.project(state=ProjectState.SUBMITTED)
    staff = f.commission()
    with pytest.raises(ProjectError, match="退回原因"):
        services.project_return(project=project, by=staff, reason="  ")
    services.project_return(project=project, by=staff, reason="预算说明不完整")
    project.refresh_from_db()
    assert project.state == ProjectState.RETURNED
    assert project.expert_confirmed_at is None
    user = f.member_of(project)
    services.project_update(project=project, by=user, data=f.filing_data(objectives="补充后的目标"))
    services.project_confirm(project=project, by=project.expert.user)
    project.refresh_from_db()
    services.project_submit(project=project, by=user)
    history = list(project.transitions.values_list("from_state", "to_state", "reason"))
    assert history == [
        ("draft", "submitted", ""),
        ("submitted", "returned", "预算说明不完整"),
        ("returned", "submitted", ""),
    ]


def test_enterprise_cannot_return_or_accept():
    project = f.project(state=ProjectState.SUBMITTED)
    with pytest.raises(ProjectError):
        services.project_return(project=project, by=f.member_of(project), reason="x")
    with pytest.raises(ProjectError):
        services.project_accept(project=project, round=f.review_round(), by=f.member_of(project))


# --- every transition of the table, and the forbidden ones ------------------------------------------

ALL_STATES = list(ProjectState.values)


@pytest.mark.parametrize("current", ALL_STATES)
@pytest.mark.parametrize("target", ALL_STATES)
def test_project_transition_table(current, target):
    project = f.project()
    Project.objects.filter(pk=project.pk).update(state=current)
    project.refresh_from_db()
    allowed = target in PROJECT_TRANSITIONS[current]
    if allowed:
        services._project_transition(project, to=target, by=None)
        assert Project.objects.get(pk=project.pk).state == target
        assert project.transitions.get().to_state == target
    else:
        with pytest.raises(TransitionError):
            services._project_transition(project, to=target, by=None)
        assert Project.objects.get(pk=project.pk).state == current
