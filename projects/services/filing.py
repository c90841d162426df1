"""Filing of a cooperation project: the enterprise's declaration (create, edit), the expert's confirmation,
the submission, and the commission's formal check (return with a reason, or accept into a review round).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from core.audit import audit
from core.exceptions import PolicyError
from core.notifications import Msg, UserText
from enterprises.enums import IntentState

from .. import policy
from ..enums import BUDGET_LINES, EDITABLE_STATES, LIVE_STATES, ProjectState, RoundState
from ..exceptions import ProjectError
from ..models import Project, ReviewRound
from ._common import _is_enterprise_member, _notify_enterprise, _notify_expert, _project_transition, _require

#: Fields of a filing the enterprise writes (the form's fields; attachments are separate).
FILING_FIELDS = (
    "title",
    "social_science",
    "technical_field",
    "objectives",
    "content",
    "expected_results",
    "schedule",
    "position",
    "requested_start",
    "total_funds",
    *(name for name, _label in BUDGET_LINES),
)


def check_filing_data(data: Mapping[str, object]) -> None:
    """The budget rules of a filing (lines add up, management fee at most 5 %), as a ProjectError."""
    try:
        policy.check_budget(
            data["total_funds"], {name: data.get(name) or Decimal("0") for name, _label in BUDGET_LINES}
        )
    except PolicyError as error:
        raise ProjectError(str(error)) from error


def _check_expert_free(expert_id, *, exclude_project_id=None) -> None:
    others = Project.objects.filter(expert_id=expert_id, state__in=LIVE_STATES)
    if exclude_project_id:
        others = others.exclude(pk=exclude_project_id)
    other = others.first()
    if other is not None:
        raise ProjectError(
            _("该专家已有合作项目“%(title)s”（%(state)s），同一服务期内只能申报一个项目。")
            % {"title": other.title, "state": other.get_state_display()}
        )


def project_create(
    *, intent, by, data: Mapping[str, object], files: Mapping[str, object] | None = None
) -> Project:
    """The enterprise files a project from an accepted intent (the expert confirms it afterwards)."""
    _require(intent.state == IntentState.ACCEPTED, _("只能从已接受的对接意向申报合作项目。"))
    enterprise_id = intent.demand.enterprise_id
    _require(_is_enterprise_member(by, enterprise_id), _("只有该企业的用户可以申报项目。"))
    check_filing_data(data)
    _check_expert_free(intent.expert_id)
    with transaction.atomic():
        project = Project(
            intent=intent, enterprise_id=enterprise_id, expert_id=intent.expert_id, created_by=by
        )
        for name in FILING_FIELDS:
            if name in data:
                setattr(project, name, data[name])
        for name, upload in (files or {}).items():
            if upload:
                setattr(project, name, upload)
        project.save()
        audit(by, "project.create", project, summary=project.title)
    return project


def project_update(
    *, project: Project, by, data: Mapping[str, object], files: Mapping[str, object] | None = None
) -> Project:
    """Edit a draft or returned filing; the expert's confirmation is withdrawn by any change."""
    _require(_is_enterprise_member(by, project.enterprise_id), _("只有申报企业可以修改项目。"))
    _require(project.state in EDITABLE_STATES, _("项目已提交，当前不能修改。"))
    check_filing_data(data)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        _require(locked.state in EDITABLE_STATES, _("项目已提交，当前不能修改。"))
        changed = [name for name in FILING_FIELDS if name in data and getattr(locked, name) != data[name]]
        for name in changed:
            setattr(locked, name, data[name])
        for name, upload in (files or {}).items():
            if upload:
                setattr(locked, name, upload)
                changed.append(name)
        if changed and locked.expert_confirmed_at is not None:
            locked.expert_confirmed_at = None
            changed.append("expert_confirmed_at")
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
            audit(by, "project.update", locked, data={"fields": changed})
    if "expert_confirmed_at" in changed:
        _notify_expert(
            locked, title=Msg(gettext_lazy("合作项目“%(title)s”已修改，请重新确认"), title=locked.title)
        )
    return locked


def project_confirm(*, project: Project, by) -> Project:
    """The expert confirms the filing (required before it can be submitted)."""
    _require(project.expert.user_id == by.pk, _("只有项目专家本人可以确认申报内容。"))
    _require(project.state in EDITABLE_STATES, _("项目当前不需要确认。"))
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        _require(locked.state in EDITABLE_STATES, _("项目当前不需要确认。"))
        locked.expert_confirmed_at = timezone.now()
        locked.save(update_fields=["expert_confirmed_at", "updated_at"])
        audit(by, "project.expert_confirm", locked)
    project.expert_confirmed_at = locked.expert_confirmed_at
    return locked


def project_submit(*, project: Project, by) -> Project:
    _require(_is_enterprise_member(by, project.enterprise_id), _("只有申报企业可以提交项目。"))
    _require(project.expert_confirmed_at is not None, _("专家尚未确认申报内容，不能提交。"))
    _require(bool(project.cooperation_plan), _("请先上传合作方案。"))
    _check_expert_free(project.expert_id, exclude_project_id=project.pk)
    try:
        with transaction.atomic():
            project = _project_transition(
                project, to=ProjectState.SUBMITTED, by=by, changes={"submitted_at": timezone.now()}
            )
    except IntegrityError as error:  # a concurrent filing for the same expert won the race
        raise ProjectError(_("该专家已有在办的合作项目，同一服务期内只能申报一个项目。")) from error
    _notify_expert(project, title=Msg(gettext_lazy("合作项目“%(title)s”已提交形式审查"), title=project.title))
    return project


def project_return(*, project: Project, by, reason: str) -> Project:
    """Formal check failed: back to the enterprise with the reason (kept in the transition history)."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以进行形式审查。"))
    _require(bool(reason.strip()), _("退回时必须填写退回原因。"))
    with transaction.atomic():
        project = _project_transition(
            project,
            to=ProjectState.RETURNED,
            by=by,
            reason=reason.strip(),
            changes={"expert_confirmed_at": None},
        )
        _notify_enterprise(
            project,
            title=Msg(gettext_lazy("合作项目“%(title)s”被退回修改"), title=project.title),
            body=UserText(reason.strip()),
        )
    return project


def project_accept(*, project: Project, round: ReviewRound, by) -> Project:
    """Formal check passed: the application joins a review round that has not closed."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以进行形式审查。"))
    _require(
        round.state in (RoundState.DRAFT, RoundState.OPEN),
        _("评审批次“%(name)s”已结束，不能再加入申请。") % {"name": round.name},
    )
    with transaction.atomic():
        project = _project_transition(
            project,
            to=ProjectState.ACCEPTED,
            by=by,
            changes={"round": round},
            reason=_("受理并加入评审批次“%(name)s”") % {"name": round.name},
        )
        if round.state == RoundState.OPEN:
            # a round already under way: the application is reviewed at once
            project = _project_transition(project, to=ProjectState.UNDER_REVIEW, by=by)
        _notify_enterprise(
            project, title=Msg(gettext_lazy("合作项目“%(title)s”已通过形式审查"), title=project.title)
        )
    return project
