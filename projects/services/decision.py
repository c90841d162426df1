"""The decision after a closed round: approve or not (against the pass line, confirming the category), the
round's decision with its public notice, and the objections raised during the notice.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from accounts.selectors import commission_users
from core.audit import audit
from core.notifications import Msg, UserText, notification_send
from core.workflow import transition

from .. import policy
from ..enums import FIELD_CHOICES, ROUND_TRANSITIONS, Decision, ObjectionState, ProjectState, RoundState
from ..models import Objection, Project, ReviewRound
from ._common import _notify_enterprise, _project_transition, _require


def project_decide(
    *,
    project: Project,
    by,
    approve: bool,
    reason: str = "",
    approved_funding: Decimal | None = None,
    social_science: bool | None = None,
) -> Project:
    """Staff decide approve / not approve; a decision against the pass line needs a reason.

    An approval confirms or corrects the category the enterprise declared (`social_science`, required
    then): the project subsidy uses the confirmed category (SPEC §5, the 100,000.00 cap). A correction
    is recorded in the transition's reason and the audit log."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以作出立项决定。"))
    round = project.round
    _require(round is not None and round.state == RoundState.CLOSED, _("评审批次结束后才能作出立项决定。"))
    if policy.departs_from_pass_line(approve, project.review_score, round.pass_line):
        _require(
            bool(reason.strip()),
            _("该决定与立项分数线（%(line)s 分）不一致，必须填写理由。") % {"line": f"{round.pass_line:g}"},
        )
    changes = {
        "decision": Decision.APPROVE if approve else Decision.REJECT,
        "decision_reason": reason.strip(),
        "decided_by": by,
        "decided_at": timezone.now(),
    }
    if approve:
        _require(
            social_science is not None,
            _("请确认或更正项目类别（企业申报为“%(declared)s”），补贴上限按区科委核定的类别计算。")
            % {"declared": project.get_social_science_display()},
        )
        funding = project.total_funds if approved_funding is None else approved_funding
        _require(Decimal("0") < funding <= project.total_funds, _("核定经费须大于0且不超过项目总经费。"))
        changes["approved_funding"] = funding
        changes["confirmed_social_science"] = bool(social_science)
        if bool(social_science) != project.social_science:
            corrected = _("项目类别由“%(declared)s”更正为“%(confirmed)s”") % {
                "declared": project.get_social_science_display(),
                "confirmed": dict(FIELD_CHOICES)[bool(social_science)],
            }
            reason = f"{reason.strip()}；{corrected}" if reason.strip() else corrected
            changes["decision_reason"] = reason
    with transaction.atomic():
        project = _project_transition(
            project,
            to=ProjectState.APPROVED if approve else ProjectState.NOT_APPROVED,
            by=by,
            reason=reason.strip(),
            changes=changes,
        )
    return project


def round_decide(*, round: ReviewRound, by, today: date | None = None) -> ReviewRound:
    """All applications decided: the round is decided; with a public notice, the approved list is
    published for `notice_days` working days from today."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以发布立项结果。"))
    undecided = list(round.projects.filter(state=ProjectState.REVIEWED).values_list("title", flat=True))
    _require(not undecided, _("还有申请未作出立项决定：%(titles)s") % {"titles": "、".join(undecided)})
    today = today or timezone.localdate()
    changes = {}
    if round.uses_notice:
        changes = {"notice_start": today, "notice_end": policy.add_working_days(today, round.notice_days)}
    with transaction.atomic():
        round = transition(round, to=RoundState.DECIDED, by=by, allowed=ROUND_TRANSITIONS, changes=changes)
        for project in round.projects.filter(state__in=(ProjectState.APPROVED, ProjectState.NOT_APPROVED)):
            if round.uses_notice and project.state == ProjectState.APPROVED:
                _project_transition(project, to=ProjectState.NOTICED, by=by)
            if project.state == ProjectState.NOT_APPROVED:
                title = Msg(gettext_lazy("合作项目“%(title)s”未获立项"), title=project.title)
            else:
                title = Msg(gettext_lazy("合作项目“%(title)s”已立项"), title=project.title)
            _notify_enterprise(project, title=title, body=UserText(project.decision_reason))
    return round


def objection_create(
    *, project: Project, name: str, contact: str, content: str, today: date | None = None
) -> Objection:
    today = today or timezone.localdate()
    round = project.round
    _require(
        project.state == ProjectState.NOTICED
        and round is not None
        and round.notice_start is not None
        and round.notice_start <= today <= round.notice_end,
        _("该项目不在公示期内，不能提出异议。"),
    )
    _require(
        bool(name.strip() and contact.strip() and content.strip()), _("请填写姓名、联系方式和异议内容。")
    )
    with transaction.atomic():
        objection = Objection.objects.create(
            project=project,
            objector_name=name.strip(),
            objector_contact=contact.strip(),
            content=content.strip(),
        )
        audit(None, "objection.create", objection, summary=project.title)
        for staff in commission_users():
            notification_send(
                recipient=staff,
                title=Msg(gettext_lazy("公示项目“%(title)s”收到异议"), title=project.title),
                link=reverse("projects:round-detail", args=[round.pk]),
            )
    return objection


def objection_resolve(*, objection: Objection, by, upheld: bool, resolution: str) -> Objection:
    """Staff resolve an objection; an upheld objection withdraws the approval."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以处理异议。"))
    _require(bool(resolution.strip()), _("请填写处理意见。"))
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        _require(locked.state == ObjectionState.OPEN, _("该异议已处理。"))
        locked.state = ObjectionState.UPHELD if upheld else ObjectionState.DISMISSED
        locked.resolution = resolution.strip()
        locked.resolved_by = by
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["state", "resolution", "resolved_by", "resolved_at"])
        audit(by, "objection.resolve", locked, summary=locked.state)
        if upheld and locked.project.state == ProjectState.NOTICED:
            _project_transition(
                locked.project,
                to=ProjectState.NOT_APPROVED,
                by=by,
                reason=_("公示异议成立：%(r)s") % {"r": resolution.strip()},
                changes={"decision": Decision.REJECT},
            )
    return locked
