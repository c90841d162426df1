"""Issue 15 item 4: the termination date is the last day served. The pure rule (which months a
termination pays), the service (what the allowance rows become), and the two-step termination page that
shows the paid and unpaid months before staff confirm (no JavaScript: a second POST confirms)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from projects.enums import AppointmentState
from subsidies.allowances import allowances_generate
from subsidies.models import AllowancePayment
from terms import services
from terms.models import Termination
from terms.policy import termination_months
from tests.factories import projects as pf
from tests.factories import terms as tf
from tests.factories.accounts import otp_login

TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("start", "terminated_on", "paid", "cut_short", "after"),
    [
        # the case: terminated 2025-06-30 pays January–June, nothing is cut short
        (date(2025, 1, 1), date(2025, 6, 30), (1, 6), None, (7, 24)),
        (date(2025, 1, 1), date(2025, 6, 29), (1, 5), (6, 6), (7, 24)),
        (date(2025, 1, 1), date(2025, 1, 1), None, (1, 1), (2, 24)),  # terminated on the first day
        (date(2025, 1, 1), date(2026, 12, 31), (1, 24), None, None),  # the term's own last day: all 24
        (date(2025, 1, 1), date(2026, 12, 30), (1, 23), (24, 24), None),
        (date(2025, 1, 31), date(2025, 2, 27), (1, 1), None, (2, 24)),  # month-end start: 01-31..02-27
    ],
)
def test_termination_months(start, terminated_on, paid, cut_short, after):
    result = termination_months(start_date=start, months=24, terminated_on=terminated_on)
    span = lambda s: (s.first, s.last) if s else None  # noqa: E731
    assert (span(result.paid), span(result.cut_short), span(result.after)) == (paid, cut_short, after)
    assert result.paid_count + result.unpaid_count == 24


def test_termination_months_dates():
    result = termination_months(start_date=date(2025, 1, 1), months=24, terminated_on=date(2025, 6, 29))
    assert (result.paid.start, result.paid.end) == (date(2025, 1, 1), date(2025, 5, 31))
    assert (result.cut_short.start, result.cut_short.end) == (date(2025, 6, 1), date(2025, 6, 30))
    assert (result.after.start, result.after.end) == (date(2025, 7, 1), date(2026, 12, 31))


def _on(day):
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ), tick=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("terminated_on", "kept"),
    [
        (date(2025, 6, 30), 6),  # the case: June was lost before
        (date(2025, 6, 29), 5),
        (date(2026, 12, 31), 24),  # the term's own last day pays 24 months, like a normal end
        (date(2025, 1, 1), 0),
    ],
)
def test_terminate_keeps_the_months_served(settings, tmp_path, terminated_on, kept):
    settings.MEDIA_ROOT = tmp_path
    appt = tf.appointment(start=date(2025, 1, 1))
    allowances_generate(as_of=date(2027, 1, 1))
    assert AllowancePayment.objects.filter(appointment=appt, kind="district").count() == 24
    with _on(date(2027, 1, 5)):
        services.appointment_terminate(
            appointment=appt, terminated_on=terminated_on, reason="企业经营调整", by=pf.commission()
        )
    months = list(
        AllowancePayment.objects.filter(appointment=appt, kind="district").values_list("month", flat=True)
    )
    assert months == list(range(1, kept + 1))
    # a rerun of the generator never brings a withdrawn month back, nor loses a kept one
    allowances_generate(as_of=date(2027, 2, 1))
    assert AllowancePayment.objects.filter(appointment=appt).count() == 2 * kept


@pytest.mark.django_db
def test_terminate_page_shows_the_months_then_confirms(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    appt = tf.appointment(start=date(2025, 1, 1))
    otp_login(client, pf.commission())
    url = reverse("terms:appointment-terminate", args=[appt.pk])
    with _on(date(2025, 7, 10)):
        preview = client.post(url, {"terminated_on": "2025-06-29", "reason": "企业经营调整\n第二行"})
        page = preview.content.decode()
        assert preview.status_code == 200
        assert "确认终止" in page and 'name="confirm"' in page
        assert "第1—5个月（共5个月）" in page and "2025-01-01 — 2025-05-31" in page
        assert "第6个月" in page and "未服务满，不予发放" in page and "2025-06-01 — 2025-06-30" in page
        assert "第7—24个月（共18个月）" in page and "终止后，不予发放" in page
        assert "共发放 5 个服务月，19 个服务月不予发放" in page
        # nothing written by the preview
        appt.refresh_from_db()
        assert appt.state == AppointmentState.ACTIVE and not Termination.objects.exists()
        # "返回修改" shows the form again with what was typed
        edit = client.post(url, {"terminated_on": "2025-06-29", "reason": "企业经营调整", "edit": "1"})
        assert 'value="2025-06-29"' in edit.content.decode() and "企业经营调整" in edit.content.decode()
        assert not Termination.objects.exists()
        done = client.post(
            url, {"terminated_on": "2025-06-29", "reason": "企业经营调整\n第二行", "confirm": "1"}
        )
    assert done.status_code == 302
    appt.refresh_from_db()
    assert (appt.state, appt.terminated_on) == (AppointmentState.TERMINATED, date(2025, 6, 29))
    assert Termination.objects.get().reason == "企业经营调整\n第二行"


@pytest.mark.django_db
def test_terminate_page_refusal_is_shown_on_the_form_before_the_preview(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    appt = tf.appointment(start=date(2025, 1, 1))
    otp_login(client, pf.commission())
    with _on(date(2025, 7, 10)):
        page = client.post(
            reverse("terms:appointment-terminate", args=[appt.pk]),
            {"terminated_on": "2025-08-01", "reason": "企业注销"},
        ).content.decode()
    assert "终止日期不能晚于今天" in page and "确认终止" not in page
    appt.refresh_from_db()
    assert appt.state == AppointmentState.ACTIVE and not Termination.objects.exists()
