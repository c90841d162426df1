from datetime import date
from io import StringIO

import pytest

from subsidies.models import Budget, PaymentBatch, ProjectSubsidy
from tests.factories.subsidies import appointment

pytestmark = pytest.mark.django_db


def test_seed_without_appointment_then_with_one_is_idempotent():
    from accounts.seed import seed as accounts_seed
    from subsidies.seed import seed

    accounts_seed(StringIO())
    seed(StringIO())
    assert Budget.objects.get(year=2026).lines.count() == 3
    assert not PaymentBatch.objects.exists()
    appointment(start=date(2025, 9, 1))
    out = StringIO()
    seed(out)
    seed(StringIO())
    assert ProjectSubsidy.objects.count() == 1
    assert sorted(PaymentBatch.objects.values_list("state", flat=True)) == [
        "approved",
        "draft",
        "paid",
        "submitted",
    ]
    assert all(b.payments.exists() for b in PaymentBatch.objects.all())
    assert "4 payment batches" in out.getvalue()
