"""Smoke run of the bench data generator (issue 11): counts, encrypted ID numbers, refusal and reset."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from core.crypto import blind_index, decrypt
from core.identifiers import is_valid_id_number, is_valid_uscc, mask_id_number
from enterprises.models import Enterprise
from experts.models import Expert, Nomination
from experts.services import ID_PURPOSE
from projects.models import Appointment, Project
from subsidies.models import AllowancePayment

pytestmark = pytest.mark.django_db


def test_generator_writes_the_requested_rows_with_real_identifiers():
    call_command("generate_bench_data", experts=50, enterprises=10, appointments=10)
    assert Expert.objects.count() == 50
    assert Nomination.objects.count() == 50
    assert Enterprise.objects.count() == 10
    assert Project.objects.filter(state="appointed").count() == 10
    assert Appointment.objects.filter(state="active").count() == 10
    assert Appointment.objects.values("expert").distinct().count() == 10
    assert not Appointment.objects.filter(expert__in_pool=False).exists()
    assert AllowancePayment.objects.filter(appointment__in=Appointment.objects.all()).exists()
    for expert in Expert.objects.all()[:20]:
        code = decrypt(expert.id_number_encrypted)
        assert is_valid_id_number(code), code
        assert expert.id_number_hash == blind_index(code, purpose=ID_PURPOSE)
        assert expert.id_number_masked == mask_id_number(code)
        assert expert.name in expert.search_text and expert.institution.name in expert.search_text
        assert all("\u4e00" <= ch <= "\u9fff" for ch in expert.name)
    assert all(is_valid_uscc(e.uscc) for e in Enterprise.objects.all())


def test_generator_refuses_a_filled_database_and_resets_on_request():
    call_command("generate_bench_data", experts=12, enterprises=3, appointments=2, no_allowances=True)
    with pytest.raises(CommandError, match="--reset"):
        call_command("generate_bench_data", experts=12, enterprises=3, appointments=2)
    call_command("generate_bench_data", experts=12, enterprises=3, appointments=2, skip_if_present=True)
    assert Expert.objects.count() == 12
    call_command(
        "generate_bench_data", experts=20, enterprises=4, appointments=3, reset=True, no_allowances=True
    )
    assert (Expert.objects.count(), Enterprise.objects.count(), Appointment.objects.count()) == (20, 4, 3)
