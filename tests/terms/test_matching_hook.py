"""The reminder job's hook for unconfirmed enterprise matching payments (subsidies app, issue 7).

On a branch without `subsidies.selectors.matching_overdue` the hook returns nothing; once the subsidies
app is merged this test builds an overdue matching obligation and checks one reminder per month."""

from datetime import date
from decimal import Decimal

import pytest

from core.models import Notification
from terms import services
from terms.integration import matching_payments_unconfirmed
from tests.factories import terms as tf

pytestmark = pytest.mark.django_db

try:
    from subsidies.selectors import matching_overdue  # noqa: F401

    HAS_SUBSIDIES = True
except ImportError:
    HAS_SUBSIDIES = False


@pytest.mark.skipif(HAS_SUBSIDIES, reason="the subsidies selector exists: see the next test")
def test_hook_is_empty_without_subsidies_models():
    assert matching_payments_unconfirmed(date(2026, 6, 1)) == []


@pytest.mark.skipif(not HAS_SUBSIDIES, reason="needs the subsidies app's matching obligations (issue 7)")
def test_unconfirmed_matching_reminded_once_per_month(settings, tmp_path):
    from subsidies.enums import AllowanceKind
    from subsidies.models import AllowancePayment

    settings.MEDIA_ROOT = tmp_path
    appt = tf.appointment(start=date(2025, 3, 1))
    AllowancePayment.objects.filter(appointment=appt).delete()
    AllowancePayment.objects.create(
        appointment=appt,
        month=1,
        kind=AllowanceKind.MATCHING,
        amount=Decimal("2000.00"),
        period_start=date(2025, 3, 1),
        period_end=date(2025, 3, 31),
        due_on=date(2025, 4, 1),
        budget_year=2025,
    )
    rows = matching_payments_unconfirmed(date(2025, 6, 1))
    assert [(r["appointment"].pk, r["month"], r["month_end"]) for r in rows] == [
        (appt.pk, 1, date(2025, 3, 31))
    ]
    first = services.reminders_send(as_of=date(2025, 6, 1))
    assert first >= 2 and services.reminders_send(as_of=date(2025, 6, 2)) == 0
    ent = tf.enterprise_user(appt)
    assert (
        Notification.objects.filter(
            recipient=ent, dedupe_key=f"terms:matching_unconfirmed:{appt.pk}:2025-03-31"
        ).count()
        == 1
    )
