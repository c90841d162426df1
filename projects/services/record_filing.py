"""Record-filing (备案) by the talent office once the notice has passed, and the cooperation agreement the
enterprise uploads afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from core.notifications import Msg

from ..enums import ObjectionState, ProjectState
from ..models import Agreement, Filing, Project
from ._common import _is_enterprise_member, _notify_enterprise, _project_transition, _require


def check_ready_for_filing(project: Project, today: date | None = None) -> None:
    today = today or timezone.localdate()
    if project.state == ProjectState.NOTICED:
        _require(
            project.round.notice_end is not None and today > project.round.notice_end,
            _("“%(title)s”仍在公示期内（至 %(end)s），公示期满后才能备案。")
            % {"title": project.title, "end": project.round.notice_end},
        )
        _require(
            not project.objections.filter(state=ObjectionState.OPEN).exists(),
            _("“%(title)s”还有未处理的公示异议。") % {"title": project.title},
        )
    else:
        _require(
            project.state == ProjectState.APPROVED, _("“%(title)s”当前不能备案。") % {"title": project.title}
        )


def filing_record(
    *, projects: Iterable[Project], by, number: str, filed_on: date, today: date | None = None
) -> list[Filing]:
    """The talent office records the filing number and date for one project or a whole list."""
    _require(by.has_role(Role.TALENT_OFFICE), _("只有区人才工作领导小组办公室可以备案。"))
    number = number.strip()
    _require(bool(number), _("请填写备案编号。"))
    today = today or timezone.localdate()
    _require(filed_on <= today, _("备案日期不能晚于今天。"))
    projects = list(projects)
    _require(bool(projects), _("请选择要备案的项目。"))
    for project in projects:
        check_ready_for_filing(project, today)
    filings = []
    with transaction.atomic():
        for project in projects:
            filings.append(
                Filing.objects.create(project=project, number=number, filed_on=filed_on, filed_by=by)
            )
            _project_transition(
                project, to=ProjectState.FILED, by=by, reason=_("备案编号 %(n)s") % {"n": number}
            )
            _notify_enterprise(
                project,
                title=Msg(
                    gettext_lazy("合作项目“%(title)s”已备案，请上传签订的合作协议"), title=project.title
                ),
            )
    return filings


def agreement_upload(*, project: Project, by, file, signed_on: date, today: date | None = None) -> Agreement:
    _require(
        _is_enterprise_member(by, project.enterprise_id) or by.has_role(Role.COMMISSION),
        _("只有申报企业或区科委工作人员可以上传合作协议。"),
    )
    today = today or timezone.localdate()
    _require(project.state == ProjectState.FILED, _("项目备案后才能上传合作协议。"))
    _require(signed_on <= today, _("签订日期不能晚于今天。"))
    filing = project.filing
    _require(signed_on >= filing.filed_on, _("签订日期不能早于备案日期（%(d)s）。") % {"d": filing.filed_on})
    with transaction.atomic():
        agreement = Agreement.objects.create(project=project, file=file, signed_on=signed_on, uploaded_by=by)
        _project_transition(project, to=ProjectState.AGREEMENT_SIGNED, by=by)
    return agreement
