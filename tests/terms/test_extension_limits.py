"""Extensions and the budget (SPEC §4, issue 15 item 9): the limits of an extension are the appointment's
policy version's parameters (12 months a request, 36 in all under policy 2.0), shown on the form; the
months of an approved extension are booked against the budget of the years they fall in."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from core.exceptions import PolicyError
from subsidies.enums import BudgetCategory
from subsidies.models import AppointmentTerms, BudgetCommitment, PolicyVersion
from terms import policy, services
from terms.exceptions import TermsError
from terms.models import ExtensionRequest
from tests.factories import projects as pf
from tests.factories import terms as tf
from tests.factories.accounts import otp_login
from tests.factories.terms import on


@pytest.mark.parametrize(
    ("current", "months", "max_request", "max_term", "message"),
    [
        (24, 12, 12, 36, None),
        (24, 13, 12, 36, "1至12之间"),
        (30, 6, 12, 36, None),
        (30, 7, 12, 36, "超过上限36个月"),
        (24, 7, 6, 30, "1至6之间"),
        (24, 6, 6, 30, None),
        (27, 6, 6, 30, "超过上限30个月"),
    ],
)
def test_check_extension_limits_are_parameters(current, months, max_request, max_term, message):
    kwargs = {
        "active": True,
        "end_date": date(2027, 2, 28),
        "current_months": current,
        "months": months,
        "requested_on": date(2026, 12, 1),
        "max_request_months": max_request,
        "max_term_months": max_term,
    }
    if message is None:
        policy.check_extension(**kwargs)
    else:
        with pytest.raises(PolicyError, match=message):
            policy.check_extension(**kwargs)


@pytest.mark.django_db
def test_policy_2_0_has_the_limits_the_code_had():
    v = PolicyVersion.objects.get(code="2.0")
    assert (v.extension_request_max_months, v.term_max_months) == (12, 36)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("limits", "months", "message"),
    [
        ((12, 36), 12, None),
        ((12, 36), 13, "1至12之间"),
        ((6, 30), 6, None),
        ((6, 30), 7, "1至6之间"),
        ((6, 28), 6, "超过上限28个月"),
    ],
)
def test_the_appointments_policy_version_sets_the_limits(media, limits, months, message):
    appt = tf.appointment(start=date(2025, 3, 1))
    version = AppointmentTerms.objects.get(appointment=appt).policy_version
    PolicyVersion.objects.filter(pk=version.pk).update(
        extension_request_max_months=limits[0], term_max_months=limits[1]
    )
    with on(date(2026, 12, 1)):
        call = lambda: services.extension_request_create(  # noqa: E731
            appointment=appt,
            months=months,
            reason="取得重大突破",
            evidence=tf.pdf_file(),
            by=tf.enterprise_user(appt),
        )
        if message is None:
            assert call().months == months
        else:
            with pytest.raises((PolicyError, TermsError), match=message):
                call()
            assert not ExtensionRequest.objects.exists()


def _allowance_booked(appt) -> dict[int, Decimal]:
    return dict(
        BudgetCommitment.objects.filter(
            source_type="projects.appointment", source_id=str(appt.pk), category=BudgetCategory.ALLOWANCE
        )
        .values("year")
        .annotate(s=Sum("amount"))
        .values_list("year", "s")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "months", "before", "after"),
    [
        # term 2025-03-01 … 2027-02-28 (month n falls due on its day after: 2025-04-01 … 2027-03-01);
        # 6 months more fall due 2027-04-01 … 2027-09-01
        (
            date(2025, 3, 1),
            6,
            {2025: 18000, 2026: 24000, 2027: 6000},
            {2025: 18000, 2026: 24000, 2027: 18000},
        ),
        # term 2025-07-01 … 2027-06-30; 12 months more fall due 2027-08-01 … 2028-07-01
        (
            date(2025, 7, 1),
            12,
            {2025: 10000, 2026: 24000, 2027: 14000},
            {2025: 10000, 2026: 24000, 2027: 24000, 2028: 14000},
        ),
    ],
)
def test_an_approved_extension_is_booked_in_the_years_it_falls_in(media, start, months, before, after):
    appt = tf.appointment(start=start)
    staff = pf.commission()
    assert _allowance_booked(appt) == {y: Decimal(v) for y, v in before.items()}
    with on(date(2026, 12, 1)):
        req = services.extension_request_create(
            appointment=appt,
            months=months,
            reason="取得重大突破",
            evidence=tf.pdf_file(),
            by=tf.enterprise_user(appt),
        )
        services.extension_request_decide(request=req, approve=True, note="同意", by=staff)
    assert _allowance_booked(appt) == {y: Decimal(v) for y, v in after.items()}
    extension_rows = BudgetCommitment.objects.filter(description__contains=f"延期{months}个月")
    assert extension_rows.count() == len([y for y in after if after[y] != before.get(y, 0)])


@pytest.mark.django_db
def test_a_refused_extension_books_nothing(media):
    appt = tf.appointment(start=date(2025, 3, 1))
    before = _allowance_booked(appt)
    with on(date(2026, 12, 1)):
        req = services.extension_request_create(
            appointment=appt,
            months=6,
            reason="取得重大突破",
            evidence=tf.pdf_file(),
            by=tf.enterprise_user(appt),
        )
        services.extension_request_decide(request=req, approve=False, note="证明不足", by=pf.commission())
    assert _allowance_booked(appt) == before


@pytest.mark.django_db
def test_extension_form_shows_the_policy_limits_and_refuses_beyond_them(client, media):
    appt = tf.appointment(start=date(2025, 3, 1))
    version = AppointmentTerms.objects.get(appointment=appt).policy_version
    otp_login(client, tf.enterprise_user(appt))
    url = reverse("terms:extension-create", args=[appt.pk])
    with on(date(2026, 12, 1)):
        page = client.get(url).content.decode()
        assert "每次1至12个月；服务期连同延期最长36个月，目前为24个月" in page
        PolicyVersion.objects.filter(pk=version.pk).update(extension_request_max_months=6, term_max_months=30)
        page = client.get(url).content.decode()
        assert "每次1至6个月；服务期连同延期最长30个月" in page
        r = client.post(url, {"months": 7, "reason": "完成临床前研究", "evidence": tf.pdf_file()})
    html = r.content.decode()
    assert r.status_code == 200
    assert "延期月数须为1至6之间的整月数" in html and "完成临床前研究" in html
    assert not ExtensionRequest.objects.exists()
