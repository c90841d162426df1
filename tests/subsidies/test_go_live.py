"""Issue 15 items 6 and 13: the go-live cut-over (months and instalments before the deployment's go-live
date were settled outside the portal — recorded, never due, never in a batch) and exact counts."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from subsidies import services
from subsidies.allowances import allowances_generate
from subsidies.exceptions import SubsidyError
from subsidies.golive import demo_go_live_date, go_live_date
from subsidies.models import AllowancePayment, BudgetCommitment, Payment, SubsidyInstalment
from subsidies.selectors import matching_overdue, payment_due_list, settled_outside_summary
from tests.factories import projects as pf
from tests.factories import terms as tf

pytestmark = pytest.mark.django_db

GO_LIVE = date(2026, 1, 1)


@pytest.fixture
def go_live(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.KJFZ_GO_LIVE_DATE = GO_LIVE
    return GO_LIVE


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("2026-01-01", date(2026, 1, 1)), (date(2025, 7, 1), date(2025, 7, 1))],
)
def test_go_live_setting(settings, value, expected):
    settings.KJFZ_GO_LIVE_DATE = value
    assert go_live_date() == expected


@pytest.mark.parametrize(
    ("start", "settled", "portal"),
    [
        (date(2023, 3, 1), 24, 0),  # a paper-era term (the demo's four): nothing is due in the portal
        (date(2024, 11, 15), 13, 11),  # month 13 ends 2025-12-14; month 14 ends after go-live
        (date(2025, 12, 1), 1, 23),  # month 1 ends 2025-12-31, the day before go-live
        (date(2025, 12, 2), 0, 24),  # month 1 ends on go-live day: the portal pays it
    ],
)
def test_generator_records_months_before_go_live_as_settled_outside(go_live, start, settled, portal):
    appt = tf.appointment(start=start)
    summary = allowances_generate(as_of=date(2028, 1, 1))
    assert summary.created == 48
    rows = AllowancePayment.objects.filter(appointment=appt)
    assert rows.filter(settled_outside=True).count() == 2 * settled
    assert rows.filter(settled_outside=False).count() == 2 * portal
    assert all(r.period_end < go_live for r in rows.filter(settled_outside=True))
    # never due: no district payment, no overdue matching
    services.allowance_payables_prepare(through=date(2028, 1, 1))
    assert Payment.objects.filter(allowance__appointment=appt).count() == portal
    assert matching_overdue(as_of=date(2029, 1, 1)).filter(appointment=appt).count() == portal
    # the histories and the report count them
    by_kind = {r.kind: (r.count, r.amount) for r in settled_outside_summary()}
    assert by_kind["district"] == (settled, Decimal("2000.00") * settled)
    assert by_kind["matching"] == (settled, Decimal("2000.00") * settled)


def test_settled_outside_matching_cannot_be_confirmed(go_live):
    appt = tf.appointment(start=date(2023, 3, 1))
    allowances_generate(as_of=date(2026, 1, 1))
    row = AllowancePayment.objects.filter(appointment=appt, kind="matching").first()
    with pytest.raises(SubsidyError, match="平台上线前已在平台外结清"):
        services.matching_confirm(
            allowance=row, confirmed_on=date(2025, 1, 1), reference="X1", by=tf.enterprise_user(appt)
        )
    row.refresh_from_db()
    assert row.confirmed_on is None


def test_settled_outside_allowance_is_never_confirmed_in_sql(go_live):
    appt = tf.appointment(start=date(2023, 3, 1))
    allowances_generate(as_of=date(2026, 1, 1))
    row = AllowancePayment.objects.filter(appointment=appt, kind="matching").first()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "UPDATE subsidies_allowancepayment SET confirmed_on = '2025-01-01', confirmation_reference = 'X'"
            " WHERE id = %s",
            [row.pk],
        )


@pytest.mark.parametrize(
    ("start", "settled", "subsidy_booked"),
    [
        (date(2023, 3, 1), True, Decimal("0")),  # the demo's instalments due 2023-03-01
        (date(2026, 1, 1), False, Decimal("250000.00")),  # due on go-live day: paid by the portal
    ],
)
def test_subsidy_instalment_before_go_live_is_settled_outside(go_live, start, settled, subsidy_booked):
    appt = tf.appointment(start=start)
    instalment = SubsidyInstalment.objects.get(subsidy__appointment=appt)
    assert instalment.settled_outside is settled
    assert (instalment.payment_id is None) is settled
    assert payment_due_list().filter(instalment__subsidy__appointment=appt).count() == (0 if settled else 1)
    subsidy_rows = BudgetCommitment.objects.filter(category="subsidy", source_id=str(appt.project_subsidy.pk))
    booked = sum(subsidy_rows.values_list("amount", flat=True), Decimal("0"))
    assert booked == subsidy_booked
    # the allowance bookings cover only the months the portal pays
    allowance_booked = sum(
        BudgetCommitment.objects.filter(category="allowance", source_id=str(appt.pk)).values_list(
            "amount", flat=True
        ),
        Decimal("0"),
    )
    assert allowance_booked == (Decimal("0") if settled else Decimal("48000.00"))


def test_settled_outside_instalment_never_gets_a_payment_in_sql(go_live):
    appt = tf.appointment(start=date(2023, 3, 1))
    instalment = SubsidyInstalment.objects.get(subsidy__appointment=appt)
    payment = Payment.objects.create(
        category="subsidy", budget_year=2023, payee_kind="enterprise", payee_name="x", amount=1,
        purpose="x", due_on=date(2023, 3, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "UPDATE subsidies_subsidyinstalment SET payment_id = %s WHERE id = %s",
            [payment.pk, instalment.pk],
        )


def test_no_go_live_means_no_cut_over(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.KJFZ_GO_LIVE_DATE = None
    appt = tf.appointment(start=date(2023, 3, 1))
    allowances_generate(as_of=date(2026, 1, 1))
    assert not AllowancePayment.objects.filter(appointment=appt, settled_outside=True).exists()
    assert SubsidyInstalment.objects.get(subsidy__appointment=appt).payment_id is not None


def test_generator_reports_the_rows_really_inserted(go_live):
    """Item 13: the count comes from the rows the INSERT returned, so rows that another run (here: a
    hand-made row the watermark does not know) already made are never counted as new."""
    appt = tf.appointment(start=date(2026, 1, 1))
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO subsidies_allowancepayment (appointment_id, month, kind, amount, period_start,"
            " period_end, due_on, budget_year, confirmation_reference, created_at, settled_outside)"
            " VALUES (%s, 1, 'district', 2000, '2026-01-01', '2026-01-31', '2026-02-01', 2026, '', now(),"
            " false)",
            [appt.pk],
        )
    summary = allowances_generate(as_of=date(2026, 4, 1))
    assert (summary.created, summary.already_present) == (5, 1)
    assert AllowancePayment.objects.filter(appointment=appt).count() == 6
    again = allowances_generate(as_of=date(2026, 4, 1))
    assert (again.created, again.already_present) == (0, 6)


def test_demo_go_live_date():
    assert demo_go_live_date(date(2026, 12, 4)) == date(2026, 1, 1)


def test_demo_run_after_seed_pays_no_back_pay(settings, tmp_path):
    """Done means (issue 15): after seed_demo and generate_allowances as of today, no back-pay and the
    overdue-matching count unchanged by the run. The demo's go-live date is what `make run` uses."""
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    settings.KJFZ_GO_LIVE_DATE = demo_go_live_date(today)
    call_command("seed_demo", stdout=io.StringIO())
    overdue_before = matching_overdue(as_of=today).count()
    payments_before = Payment.objects.count()
    call_command("generate_allowances", stdout=io.StringIO())
    assert matching_overdue(as_of=today).count() == overdue_before
    assert Payment.objects.count() == payments_before  # nothing new fell due: no back-pay
    go = settings.KJFZ_GO_LIVE_DATE
    # nothing before go-live is due in the portal: no payment, no batch, no overdue matching
    assert not Payment.objects.filter(allowance__period_end__lt=go).exists()
    assert not AllowancePayment.objects.filter(period_end__lt=go, settled_outside=False).exists()
    assert not SubsidyInstalment.objects.filter(due_on__lt=go, payment__isnull=False).exists()
    # the four paper-era terms (2023-03-01 to 2025-02-28) are recorded as settled outside
    paper = AllowancePayment.objects.filter(appointment__start_date=date(today.year - 3, 3, 1))
    assert paper.count() == 4 * 48 and not paper.filter(settled_outside=False).exists()
    paper_instalments = SubsidyInstalment.objects.filter(due_on=date(today.year - 3, 3, 1))
    assert paper_instalments.filter(settled_outside=True, amount=Decimal("300000.00")).count() == 4


def test_dashboard_shows_what_was_settled_outside(go_live, verified_client):
    tf.appointment(start=date(2023, 3, 1))  # all 24 months before go-live
    allowances_generate(as_of=date(2026, 1, 1))
    client = verified_client(pf.commission())
    page = client.get(reverse("dashboard:index"), {"year": 2024}).content.decode()
    section = page.split('data-section="settled-outside"', 1)[1].split("</table>", 1)[0]
    assert "区人才生活补贴" in section and "企业配套生活补助" in section
    assert ">12<" in section and "24000.00" in section  # months due in 2024: 2024-01-01 … 2024-12-01


def test_subsidy_page_shows_the_settled_outside_history(go_live, verified_client):
    appt = tf.appointment(start=date(2024, 11, 15))
    allowances_generate(as_of=date(2026, 12, 4))
    client = verified_client(pf.commission())
    page = client.get(reverse("subsidies:subsidy-detail", args=[appt.project_subsidy.pk])).content.decode()
    assert "上线前已在平台外结清" in page.split("allowance-history", 1)[0]  # the instalment due 2024-11-15
    history = page.split('id="allowance-history"', 1)[1].split("</table>", 1)[0]
    # months 1–13 ended before 2026-01-01; months 14–24 ended by 2026-11-14 are the portal's
    assert history.count('<td class="text-end">13</td>') == 2
    assert history.count('<td class="text-end">11</td>') == 2
