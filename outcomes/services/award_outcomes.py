"""The verified outcomes an award application carries (outcomes that count for the annual awards)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit

from ..enums import OutcomeState
from ..exceptions import OutcomeError
from ..models import AwardOutcome, Outcome


def award_outcomes_set(*, application, outcome_ids, by) -> list[AwardOutcome]:
    """Attach verified outcomes of the application's own appointment (kinds that count for awards), while
    the application may still be edited."""
    from awards.enums import EDITABLE_STATES

    if not application.enterprise.members.filter(user=by).exists():
        raise OutcomeError(_("只有申报企业可以调整附带的成果"))
    if application.state not in EDITABLE_STATES:
        raise OutcomeError(_("申报当前不能修改，不能调整附带的成果"))
    appointment = getattr(application.project, "appointment", None)
    ids = set(outcome_ids)
    outcomes = list(Outcome.objects.filter(pk__in=ids).select_related("kind"))
    if len(outcomes) != len(ids):
        raise OutcomeError(_("所选成果不存在"))
    for o in outcomes:
        if appointment is None or o.appointment_id != appointment.pk:
            raise OutcomeError(_("只能附带本项目服务期的成果：%(title)s") % {"title": o.title})
        if o.state != OutcomeState.VERIFIED:
            raise OutcomeError(_("只能附带已核实的成果：%(title)s") % {"title": o.title})
        if not o.kind.counts_for_awards:
            raise OutcomeError(_("该类成果不计入年度评选：%(title)s") % {"title": o.title})
    with transaction.atomic():
        AwardOutcome.objects.filter(application=application).exclude(outcome_id__in=ids).delete()
        have = set(AwardOutcome.objects.filter(application=application).values_list("outcome_id", flat=True))
        AwardOutcome.objects.bulk_create(
            AwardOutcome(application=application, outcome=o, attached_by=by)
            for o in outcomes
            if o.pk not in have
        )
        audit(by, "awardoutcome.set", application, summary=f"{len(ids)} outcomes")
    return list(AwardOutcome.objects.filter(application=application))
