"""The term-end report and completion (结题): the enterprise's draft against the project's indicators, the
expert's confirmation, returns for revision, and the staff acceptance that completes the project.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit
from core.notifications import Msg, UserText
from core.workflow import transition
from projects import services as project_services
from projects.enums import AppointmentState
from projects.exceptions import ProjectError

from .. import policy, selectors
from ..enums import REPORT_TRANSITIONS, Party, ReportState
from ..exceptions import TermsError
from ..models import Completion, IndicatorResult, TermReport
from ._common import _link, _lock_appointment, _notify, _today


def term_report_save(
    *, appointment, by, summary: str, achievements: str, results: list[dict], attachment=None
) -> TermReport:
    """The enterprise creates or edits the draft with the results against the project's indicators."""
    if not (summary or "").strip():
        raise TermsError(_("请填写工作总结"))
    rows = [r for r in results if (r.get("indicator") or "").strip()]
    if not rows:
        raise TermsError(_("请至少填写一项考核指标的完成情况"))
    if any(not (r.get("achieved") or "").strip() for r in rows):
        raise TermsError(_("每项考核指标都需填写完成情况"))
    from outcomes.services import check_report_rows

    try:  # issue 21: "met" of a structured target departs from the verified outcomes only with a reason
        check_report_rows(appointment, rows)
    except ValueError as exc:
        raise TermsError(str(exc)) from exc
    with transaction.atomic():
        locked = _lock_appointment(appointment)
        policy.check_report_open(
            terminated=locked.state == AppointmentState.TERMINATED, end_date=locked.end_date, as_of=_today()
        )
        report = TermReport.objects.select_for_update().filter(appointment=locked).first()
        if report is None:
            report = TermReport(appointment=locked, drafted_by=by)
        elif report.state != ReportState.DRAFT:
            raise TermsError(_("报告当前为“%(state)s”，不能修改") % {"state": report.get_state_display()})
        report.summary = summary.strip()
        report.achievements = (achievements or "").strip()
        if attachment:
            report.attachment.save(getattr(attachment, "name", "report.pdf"), attachment, save=False)
        report.save()
        report.results.all().delete()
        IndicatorResult.objects.bulk_create(
            IndicatorResult(
                report=report,
                order=i,
                indicator=r["indicator"].strip(),
                target=(r.get("target") or "").strip(),
                achieved=r["achieved"].strip(),
                met=bool(r.get("met")),
            )
            for i, r in enumerate(rows, start=1)
        )
        audit(by, "termreport.save", report, summary=f"{len(rows)} indicators")
    return report


def term_report_submit(*, report: TermReport, by) -> TermReport:
    """The enterprise sends the draft to the expert for confirmation."""
    with transaction.atomic():
        locked = transition(report, to=ReportState.AWAITING_EXPERT, by=by, allowed=REPORT_TRANSITIONS)
        _notify(
            selectors.expert_users(locked.appointment.expert),
            title=Msg(gettext_lazy("服务期满总结报告待您确认")),
            link=_link(locked.appointment),
        )
    return locked


def term_report_confirm(*, report: TermReport, by) -> TermReport:
    """The expert confirms: the report is jointly submitted to staff."""
    with transaction.atomic():
        locked = transition(
            report,
            to=ReportState.SUBMITTED,
            by=by,
            allowed=REPORT_TRANSITIONS,
            changes={"confirmed_by": by, "confirmed_at": timezone.now()},
        )
        _notify(
            selectors.staff_users(),
            title=Msg(
                gettext_lazy("服务期满总结报告已提交：%(expert)s"), expert=locked.appointment.expert.name
            ),
            link=_link(locked.appointment),
        )
    return locked


def term_report_return(*, report: TermReport, reason: str, by) -> TermReport:
    """The expert (before confirming) or staff (before accepting) send the report back for revision."""
    if not (reason or "").strip():
        raise TermsError(_("退回时请填写理由"))
    with transaction.atomic():
        locked = transition(
            report,
            to=ReportState.DRAFT,
            by=by,
            allowed=REPORT_TRANSITIONS,
            reason=reason.strip(),
            changes={"confirmed_by": None, "confirmed_at": None},
        )
        _notify(
            selectors.enterprise_users(locked.appointment.enterprise),
            title=Msg(gettext_lazy("服务期满总结报告被退回修改")),
            body=UserText(reason.strip()),
            link=_link(locked.appointment),
        )
    return locked


def term_report_accept(*, report: TermReport, accepted_on: date, note: str, by) -> Completion:
    """Staff accept the jointly submitted report: the project is completed (结题) on `accepted_on` —
    the report moves to ACCEPTED, the project APPOINTED → COMPLETED (projects.services.project_complete,
    recorded) and the Completion row is written, all in one transaction. Only after the term has ended
    (terms.policy.check_completion)."""
    from outcomes.services import check_completion_allowed

    with transaction.atomic():
        appointment = _lock_appointment(report.appointment)
        policy.check_completion(
            ended=appointment.state == AppointmentState.ENDED,
            end_date=appointment.end_date,
            accepted_on=accepted_on,
            today=_today(),
        )
        # issue 21: not while an outcome is still awaiting confirmation or verification
        try:
            check_completion_allowed(appointment)
        except ValueError as exc:
            raise TermsError(str(exc)) from exc
        locked = transition(
            report, to=ReportState.ACCEPTED, by=by, allowed=REPORT_TRANSITIONS, reason=(note or "").strip()
        )
        try:
            project_services.project_complete(
                project=appointment.project, by=by, reason=(note or "").strip() or _("总结报告验收通过")
            )
        except ProjectError as exc:
            raise TermsError(str(exc)) from exc
        completion = Completion.objects.create(
            project=appointment.project,
            appointment=appointment,
            report=locked,
            accepted_on=accepted_on,
            accepted_by=by,
            note=(note or "").strip(),
        )
        audit(by, "completion.create", completion, summary=f"结题 {accepted_on}")
        _notify(
            selectors.party_users(appointment, {Party.ENTERPRISE, Party.EXPERT}),
            title=Msg(gettext_lazy("合作项目已结题验收（%(date)s）"), date=accepted_on),
            link=_link(appointment),
        )
    return completion
