"""Reminders (SPEC §9): a frozen clock walks a whole term day by day; every reminder is sent exactly once,
running the job twice sends nothing new, two workers at the same time send nothing twice, and a real
Celery worker against Redis runs the job."""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core.models import Notification
from terms import services
from terms.enums import ReminderKind
from terms.tasks import end_expired_appointments, send_term_reminders
from tests.factories import projects as pf
from tests.factories import terms as tf

TZ = ZoneInfo("Asia/Shanghai")


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 7, 0, tzinfo=TZ)


def _reminders():
    return Notification.objects.filter(dedupe_key__startswith="terms:")


@pytest.mark.django_db
def test_whole_term_with_frozen_clock_sends_every_reminder_exactly_once(
    media, django_capture_on_commit_callbacks
):
    start = date(2025, 3, 1)
    with time_machine.travel(_at(start), tick=False) as clock:
        staff = pf.commission()
        plain = tf.appointment(start=start, staff=staff)
        extended = tf.appointment(start=start, staff=staff)
        terminated = tf.appointment(start=start, staff=staff)
        people = {
            "staff": staff,
            "plain_ent": tf.enterprise_user(plain),
            "plain_exp": tf.expert_user(plain),
            "ext_ent": tf.enterprise_user(extended),
            "ext_exp": tf.expert_user(extended),
            "term_ent": tf.enterprise_user(terminated),
            "term_exp": tf.expert_user(terminated),
        }
        day = start
        while day <= date(2027, 10, 31):
            clock.move_to(_at(day))
            if day == date(2026, 6, 30):
                services.appointment_terminate(
                    appointment=terminated, terminated_on=day, reason="企业迁出昌平", by=staff
                )
            if day == date(2026, 10, 1):
                request = services.extension_request_create(
                    appointment=extended,
                    months=6,
                    reason="取得重大突破",
                    evidence=tf.pdf_file(),
                    by=people["ext_ent"],
                )
                services.extension_request_decide(request=request, approve=True, note="同意", by=staff)
            with django_capture_on_commit_callbacks(execute=True):
                end_expired_appointments()
                send_term_reminders()
                again = send_term_reminders()  # the job runs twice: nothing new
            assert again == 0, day
            day += timedelta(days=1)

    sent = {
        (n.recipient_id, n.dedupe_key.split(":")[1], n.created_at.astimezone(TZ).date()) for n in _reminders()
    }
    assert len(sent) == _reminders().count() == 24

    def expected(appt, end, ent, exp):
        due = {
            ReminderKind.TERM_ENDING_90: end - timedelta(days=90),
            ReminderKind.TERM_ENDING_30: end - timedelta(30),
            ReminderKind.TERM_ENDING_7: end - timedelta(days=7),
        }
        rows = {(u.pk, kind.value, d) for kind, d in due.items() for u in (staff, ent, exp)}
        rows |= {(u.pk, "report_due", end + timedelta(days=1)) for u in (ent, exp)}
        rows.add((staff.pk, "evaluation_due", end + timedelta(days=31)))
        return rows

    assert sent == (
        expected(plain, date(2027, 2, 28), people["plain_ent"], people["plain_exp"])
        | expected(extended, date(2027, 8, 31), people["ext_ent"], people["ext_exp"])
    )
    # the terminated appointment's people got no reminder; an email went with every notification
    assert not _reminders().filter(recipient__in=[people["term_ent"], people["term_exp"]]).exists()
    assert (
        len([m for m in mail.outbox if "届满" in m.subject or "待" in m.subject or "未确认" in m.subject])
        >= 24
    )
    first_90 = _reminders().get(recipient=people["plain_exp"], dedupe_key__contains=":ending90:")
    assert first_90.title == "服务期将于90天内届满"
    assert "将于2027年02月28日届满" in first_90.body


@pytest.mark.django_db
def test_management_command_sends_once(media, capsys):
    appt = tf.appointment(start=date(2025, 3, 1))
    call_command("terms_reminders", "--date", "2027-02-21")
    call_command("terms_reminders", "--date", "2027-02-22")
    out = capsys.readouterr().out
    assert out.splitlines() == ["sent 3 notification(s)", "sent 0 notification(s)"]
    call_command("terms_end_appointments", "--date", "2027-03-01")
    assert capsys.readouterr().out.strip() == "ended 1 appointment(s)"
    appt.refresh_from_db()
    assert appt.state == "ended"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_the_same_time_send_each_reminder_once(media):
    tf.appointment(start=date(2025, 3, 1))
    tf.appointment(start=date(2025, 3, 2))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(services.reminders_send(as_of=date(2027, 2, 22)))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    # two appointments × (their own staff user + every other staff user, enterprise, expert)
    expected = _reminders().count()
    assert sum(results) == expected == 2 * (2 + 1 + 1)
    assert _reminders().values("recipient", "dedupe_key").distinct().count() == expected


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_celery_worker_runs_the_reminder_job(media, redis_celery):
    from dateutil.relativedelta import relativedelta

    today = timezone.localdate()
    # a term whose last day is 5 days from today: the 7-day reminder is due now
    start = today + timedelta(days=6) - relativedelta(months=24)
    appt = tf.appointment(start=start)
    assert 0 <= (appt.end_date - today).days <= 7
    assert send_term_reminders.delay().get(timeout=30) == 3
    assert send_term_reminders.delay().get(timeout=30) == 0
    keys = set(_reminders().values_list("dedupe_key", flat=True))
    assert keys == {f"terms:ending7:{appt.pk}:{appt.end_date.isoformat()}"}
