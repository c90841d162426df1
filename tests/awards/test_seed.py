import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from awards import seed
from awards.enums import ApplicationState, CycleState
from awards.models import Award, AwardApplication, AwardCycle
from subsidies.models import Payment

pytestmark = pytest.mark.django_db


def test_demo_has_a_published_cycle_for_last_year_and_reseeding_adds_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    cycle = AwardCycle.objects.get()
    assert cycle.year == timezone.localdate().year - 1
    assert cycle.state == CycleState.PUBLISHED
    states = sorted(AwardApplication.objects.values_list("state", flat=True))
    assert states.count(ApplicationState.AWARDED) == 3 and ApplicationState.NOT_AWARDED in states
    assert sorted(Award.objects.values_list("level", flat=True)) == [1, 2, 3]
    assert Payment.objects.filter(award__isnull=False, batch__isnull=False).count() == 3
    assert all(a.completion.accepted_on.year == cycle.year for a in AwardApplication.objects.all())
    out = io.StringIO()
    seed.seed(out)
    assert "already present" in out.getvalue()
    assert AwardApplication.objects.count() == 4 and Award.objects.count() == 3
