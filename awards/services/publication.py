"""Publication of the approved results (the winners notified) and the award certificates, issued
after commit by a task.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.documents import document_issue
from core.models import DocumentKind, IssuedDocument
from core.notifications import Msg, notification_send

from ..enums import CycleState, PrizeLevel
from ..models import Award, AwardCycle
from ._common import _cycle_transition, _require, _staff


def cycle_publish(*, cycle: AwardCycle, by, today: date | None = None) -> AwardCycle:
    """Publish the approved result list on the portal; notify the winners; certificates are issued
    after commit (a task; inline without a broker)."""
    _staff(by)
    today = today or timezone.localdate()
    with transaction.atomic():
        cycle = _cycle_transition(cycle, to=CycleState.PUBLISHED, by=by, changes={"published_on": today})
        for award in cycle.awards.select_related("expert__user", "enterprise", "application__project"):
            title = Msg(
                gettext_lazy("祝贺！“%(title)s”获%(year)s年度“科技副总”年度评选%(level)s"),
                title=award.application.project.title,
                year=cycle.year,
                level=PrizeLevel(award.level).label,
            )
            link = reverse("awards:application-detail", args=[award.application_id])
            if award.expert.user_id:
                notification_send(recipient=award.expert.user, title=title, link=link)
            for member in award.enterprise.members.select_related("user"):
                notification_send(recipient=member.user, title=title, link=link)
        cycle_id, by_id = cycle.pk, by.pk
        transaction.on_commit(lambda: _certificates_after_commit(cycle_id, by_id))
    return cycle


def _certificates_after_commit(cycle_id: int, by_id: int) -> None:
    from projects.tasks import dispatch

    from ..tasks import award_certificates_task

    dispatch(award_certificates_task, cycle_id, by_id)


def certificate_issue(*, award: Award, by) -> IssuedDocument:
    """The award certificate (获奖证书, PDF with serial and verification QR code); idempotent."""
    from ..pdf import certificate_context

    _require(award.cycle.state == CycleState.PUBLISHED, _("评选结果公布后才能出具获奖证书。"))
    return document_issue(
        kind=DocumentKind.AWARD_CERTIFICATE,
        subject=award,
        title=_("%(year)s年度昌平区“科技副总”年度评选获奖证书") % {"year": award.cycle.year},
        template_name="awards/pdf/certificate.html",
        context=certificate_context(award),
        by=by,
    )


def certificates_issue(*, cycle: AwardCycle, by) -> int:
    awards = list(
        cycle.awards.select_related("cycle", "expert__institution", "enterprise", "application__project")
    )
    for award in awards:
        certificate_issue(award=award, by=by)
    return len(awards)
