"""The reminder job (SPEC §9): the texts of each reminder and sending every reminder due exactly once."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy

from core.notifications import Msg
from projects.enums import AppointmentState
from projects.models import Appointment

from .. import policy, selectors
from ..enums import ReminderKind
from ._common import _link, _notify, _today

REMINDER_TEXT = {
    ReminderKind.TERM_ENDING_90: gettext_lazy(
        "%(expert)s在%(enterprise)s的科技副总服务期将于%(end)s届满（约90天后）。"
    ),
    ReminderKind.TERM_ENDING_30: gettext_lazy(
        "%(expert)s在%(enterprise)s的科技副总服务期将于%(end)s届满（30天内）。"
    ),
    ReminderKind.TERM_ENDING_7: gettext_lazy(
        "%(expert)s在%(enterprise)s的科技副总服务期将于%(end)s届满（7天内）。"
    ),
    ReminderKind.REPORT_DUE: gettext_lazy(
        "服务期已于%(end)s届满，请企业起草、专家确认服务期满总结报告，于%(due)s前提交。"
    ),
    ReminderKind.EVALUATION_DUE: gettext_lazy("%(expert)s的服务期已于%(end)s届满，请组织任职评价。"),
    ReminderKind.MATCHING_UNCONFIRMED: gettext_lazy(
        "%(expert)s第%(month)s个服务月的企业配套生活补助尚未确认支付。"
    ),
}


def reminders_send(*, as_of: date | None = None) -> int:
    """The reminder job (SPEC §9): every reminder due on `as_of` to its audience, each exactly once —
    the notification's dedupe key is unique in the database, so a second run, or two workers at the same
    time, send nothing new. Returns the number of notifications created."""
    as_of = as_of or _today()
    sent = 0
    for row in selectors.appointments_for_reminders(as_of):
        facts = policy.TermFacts(
            end_date=row["end_date"],
            terminated=row["state"] == AppointmentState.TERMINATED,
            report_submitted=row["report_submitted"],
            evaluation_finalised=False,  # the selector leaves finalised evaluations out
        )
        due = policy.reminders_due(facts, as_of)
        if not due:
            continue
        appointment = Appointment.objects.select_related("expert", "enterprise").get(pk=row["pk"])
        for reminder in due:
            params = {
                "expert": appointment.expert.name,
                "enterprise": appointment.enterprise.name,
                "end": appointment.end_date,
                "due": policy.report_due_date(appointment.end_date),
            }
            sent += _notify(
                selectors.party_users(appointment, policy.REMINDER_AUDIENCE[reminder.kind]),
                title=Msg(reminder.kind.label),
                body=Msg(REMINDER_TEXT[reminder.kind], **params),
                link=_link(appointment),
                dedupe_key=reminder.dedupe_key(appointment.pk),
            )
    for item in selectors.matching_payments_unconfirmed(as_of):
        appointment, month = item["appointment"], item["month"]
        reminder = policy.DueReminder(ReminderKind.MATCHING_UNCONFIRMED, item["month_end"])
        sent += _notify(
            selectors.party_users(appointment, policy.REMINDER_AUDIENCE[reminder.kind]),
            title=Msg(reminder.kind.label),
            body=Msg(REMINDER_TEXT[reminder.kind], expert=appointment.expert.name, month=month),
            link=_link(appointment),
            dedupe_key=reminder.dedupe_key(appointment.pk),
        )
    return sent
