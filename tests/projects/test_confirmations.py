"""Issue 16 item 3: appointing (the term starts, both letters are issued) and generating a round's letters
ask for confirmation; the POST without it writes nothing; strangers get 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import F
from django.urls import reverse

from projects.enums import ProjectState, RoundState
from projects.models import Appointment, Project, ReviewRound
from tests.factories import projects as f
from tests.factories.accounts import otp_login
from tests.factories.terms import ensure_policy_2_0

pytestmark = pytest.mark.django_db


def _signed_project():
    project = f.project()
    Project.objects.filter(pk=project.pk).update(
        state=ProjectState.AGREEMENT_SIGNED, approved_funding=F("total_funds")
    )
    ensure_policy_2_0()
    return Project.objects.get(pk=project.pk)


def test_appoint_asks_for_confirmation_first(client):
    project = _signed_project()
    staff = f.commission()
    otp_login(client, staff)
    url = reverse("projects:project-appoint", args=[project.pk])
    data = {"start_date": "2026-03-01", "months": "24"}
    ask = client.post(url, data)
    page = ask.content.decode()
    assert ask.status_code == 200
    assert "确认聘任并签发聘书" in page and project.expert.name in page
    assert "2026-03-01 — 2028-02-29" in page
    assert not Appointment.objects.filter(project=project).exists()
    client.post(url, {**data, "confirmed": "1"})
    project.refresh_from_db()
    assert Appointment.objects.filter(project=project).exists() and project.state == "appointed"


def test_appoint_by_a_stranger_is_404(client):
    project = _signed_project()
    other = f.project()
    otp_login(client, f.member_of(other))
    url = reverse("projects:project-appoint", args=[project.pk])
    assert client.post(url, {"start_date": "2026-03-01", "months": "24", "confirmed": "1"}).status_code == 404
    assert not Appointment.objects.filter(project=project).exists()


def test_round_letters_ask_for_confirmation(client):
    round = f.review_round()
    ReviewRound.objects.filter(pk=round.pk).update(state=RoundState.DECIDED)
    otp_login(client, f.commission())
    url = reverse("projects:round-letters", args=[round.pk])
    ask = client.post(url)
    assert ask.status_code == 200 and "确认批量生成聘书" in ask.content.decode()
    assert ReviewRound.objects.get(pk=round.pk).letters_started_at is None
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert ReviewRound.objects.get(pk=round.pk).letters_started_at is not None


def test_confirmation_page_keeps_the_date_typed(client):
    project = _signed_project()
    otp_login(client, f.commission())
    page = client.post(
        reverse("projects:project-appoint", args=[project.pk]),
        {"start_date": date(2026, 5, 1).isoformat(), "months": "24"},
    ).content.decode()
    assert 'name="start_date" value="2026-05-01"' in page and 'name="months" value="24"' in page
