"""Applications: the enterprise drafts the joint application of its completed project, the expert
confirms it and the enterprise submits it within the window; staff nominate a project or return an
application for revision.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import commission_users
from core.audit import audit
from core.notifications import Msg, UserText, notification_send
from projects.models import Project

from .. import policy
from ..enums import EDITABLE_STATES, ApplicationSource, ApplicationState, CycleState
from ..exceptions import AwardError
from ..models import Award, AwardApplication, AwardCycle
from ._common import _app_transition, _policy, _require, _staff, enterprise_id_of

APPLICATION_FIELDS = ("summary", *AwardApplication.EVIDENCE_FIELDS)


def _completion_of(project: Project):
    from terms.models import Completion

    return Completion.objects.filter(project=project).select_related("appointment").first()


def _clean_application(data: Mapping[str, object]) -> dict[str, str]:
    clean = {k: str(data.get(k) or "").strip() for k in APPLICATION_FIELDS}
    _policy(
        policy.check_evidence,
        summary=clean["summary"],
        evidence={k: clean[k] for k in AwardApplication.EVIDENCE_FIELDS},
    )
    return clean


def _require_window_open(cycle: AwardCycle, today: date | None) -> None:
    """The cycle accepts applications and `today` (default: today) lies within its application window."""
    _require(cycle.state == CycleState.OPEN, _("%(title)s当前不接受申报。") % {"title": cycle.title})
    _policy(
        policy.check_application_window,
        start=cycle.apply_start,
        end=cycle.apply_end,
        today=today or timezone.localdate(),
    )


def _new_application(*, cycle, project, by, data, evidence_file, source) -> AwardApplication:
    clean = _clean_application(data)
    completion = _completion_of(project)
    from ..selectors import previous_cutoff

    _policy(
        policy.check_eligible,
        completed_on=completion.accepted_on if completion else None,
        previous_cutoff=previous_cutoff(cycle),
        cutoff=cycle.apply_end,
        awarded=Award.objects.filter(application__project=project).exists(),
    )
    applied_before = _("项目“%(title)s”已申报%(year)s年度评选，不能重复申报。") % {
        "title": project.title,
        "year": cycle.year,
    }
    _require(not AwardApplication.objects.filter(cycle=cycle, project=project).exists(), applied_before)
    try:
        with transaction.atomic():
            application = AwardApplication(
                cycle=cycle,
                completion=completion,
                project=project,
                expert_id=project.expert_id,
                enterprise_id=project.enterprise_id,
                source=source,
                created_by=by,
                **clean,
            )
            if evidence_file:
                application.evidence_file.save(
                    getattr(evidence_file, "name", "evidence.pdf"), evidence_file, save=False
                )
            application.save()
            application.transitions.create(from_state="", to_state=ApplicationState.DRAFT, actor=by)
            audit(by, "awardapplication.create", application, summary=project.title, data={"source": source})
    except IntegrityError:
        raise AwardError(applied_before) from None
    return application


def application_create(
    *,
    cycle: AwardCycle,
    project: Project,
    by,
    data: Mapping[str, object],
    evidence_file=None,
    today: date | None = None,
) -> AwardApplication:
    """The enterprise (main applicant) drafts the joint application of its completed project; the
    expert confirms it, then the enterprise submits it within the window."""
    _require(enterprise_id_of(by) == project.enterprise_id, _("只能为本企业的合作项目申报。"))
    _require_window_open(cycle, today)
    return _new_application(
        cycle=cycle,
        project=project,
        by=by,
        data=data,
        evidence_file=evidence_file,
        source=ApplicationSource.JOINT,
    )


def application_update(
    *, application: AwardApplication, by, data: Mapping[str, object], evidence_file=None
) -> AwardApplication:
    """The enterprise edits a draft or returned application; the expert's confirmation is withdrawn."""
    _require(enterprise_id_of(by) == application.enterprise_id, _("只能修改本企业的申报。"))
    clean = _clean_application(data)
    with transaction.atomic():
        locked = AwardApplication.objects.select_for_update().get(pk=application.pk)
        _require(locked.state in EDITABLE_STATES, _("申报已提交，不能修改。"))
        for k, v in clean.items():
            setattr(locked, k, v)
        locked.expert_confirmed_at = None
        if evidence_file:
            locked.evidence_file.save(
                getattr(evidence_file, "name", "evidence.pdf"), evidence_file, save=False
            )
        locked.save()
        audit(by, "awardapplication.update", locked)
    return locked


def application_confirm(*, application: AwardApplication, by) -> AwardApplication:
    """The expert confirms the joint application (the results summary and evidence are agreed)."""
    _require(application.expert.user_id == by.pk, _("只能确认本人作为专家的申报。"))
    with transaction.atomic():
        locked = AwardApplication.objects.select_for_update().get(pk=application.pk)
        _require(locked.state in EDITABLE_STATES, _("申报已提交，无需再确认。"))
        locked.expert_confirmed_at = timezone.now()
        locked.save(update_fields=["expert_confirmed_at", "updated_at"])
        audit(by, "awardapplication.confirm", locked)
    return locked


def application_submit(*, application: AwardApplication, by, today: date | None = None) -> AwardApplication:
    """The enterprise submits the confirmed joint application within the window."""
    _require(enterprise_id_of(by) == application.enterprise_id, _("只能提交本企业的申报。"))
    cycle = application.cycle
    _require_window_open(cycle, today)
    _require(application.expert_confirmed_at is not None, _("请先由专家确认申报内容。"))
    with transaction.atomic():
        locked = _app_transition(
            application, to=ApplicationState.SUBMITTED, by=by, changes={"submitted_at": timezone.now()}
        )
        for staff in commission_users():
            notification_send(
                recipient=staff,
                title=Msg(gettext_lazy("年度评选收到新申报：%(title)s"), title=application.project.title),
                link=reverse("awards:application-detail", args=[application.pk]),
            )
    return locked


def application_nominate(
    *, cycle: AwardCycle, project: Project, by, data: Mapping[str, object], evidence_file=None
) -> AwardApplication:
    """Staff nominate a completed project (提名) while the cycle accepts applications."""
    _staff(by)
    _require(cycle.state == CycleState.OPEN, _("%(title)s当前不接受申报。") % {"title": cycle.title})
    with transaction.atomic():
        application = _new_application(
            cycle=cycle,
            project=project,
            by=by,
            data=data,
            evidence_file=evidence_file,
            source=ApplicationSource.NOMINATED,
        )
        application = _app_transition(
            application,
            to=ApplicationState.SUBMITTED,
            by=by,
            reason=_("区科委提名"),
            changes={"submitted_at": timezone.now()},
        )
    return application


def application_return(*, application: AwardApplication, by, reason: str) -> AwardApplication:
    """Staff send a submitted application back for revision (formal check) while applications are open."""
    _staff(by)
    _require(bool((reason or "").strip()), _("退回时请填写理由。"))
    _require(application.cycle.state == CycleState.OPEN, _("评审已开始，不能再退回申报。"))
    with transaction.atomic():
        locked = _app_transition(
            application,
            to=ApplicationState.RETURNED,
            by=by,
            reason=reason.strip(),
            changes={"expert_confirmed_at": None},
        )
        link = reverse("awards:application-detail", args=[application.pk])
        for member in application.enterprise.members.select_related("user"):
            notification_send(
                recipient=member.user,
                title=Msg(gettext_lazy("年度评选申报被退回修改")),
                body=UserText(reason.strip()),
                link=link,
            )
    return locked
