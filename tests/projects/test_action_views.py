"""Issue 22 item 2: every button of the project page and the round page posts to its own view (its own
URL and role rule). A refused form shows the page again with each error at its field (not one joined
message) and what was typed; anyone else gets a 404 and nothing changes."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.urls import reverse

from projects.enums import ProjectState, RoundState
from projects.models import Appointment, Project, ReviewRound
from tests.factories import projects as f
from tests.factories.accounts import otp_login
from tests.factories.pages import field_errors, page_messages
from tests.factories.terms import ensure_policy_2_0

pytestmark = pytest.mark.django_db


def _in_state(state: str, **changes) -> Project:
    project = f.project(state=ProjectState.SUBMITTED)
    Project.objects.filter(pk=project.pk).update(state=state, **changes)
    return Project.objects.get(pk=project.pk)


def _url(name: str, project: Project) -> str:
    return reverse(f"projects:project-{name}", args=[project.pk])


def test_the_project_page_buttons_post_to_their_own_urls(client):
    project = f.project()
    otp_login(client, f.member_of(project))
    page = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    assert f'action="{_url("submit", project)}"' in page
    otp_login(client, project.expert.user)
    page = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    assert f'action="{_url("confirm", project)}"' in page
    submitted = f.project(state=ProjectState.SUBMITTED)
    otp_login(client, f.commission())
    page = client.get(reverse("projects:project-detail", args=[submitted.pk])).content.decode()
    assert f'action="{_url("accept", submitted)}"' in page and f'action="{_url("return", submitted)}"' in page


def test_return_without_a_reason_shows_the_error_at_the_reason(client):
    project = f.project(state=ProjectState.SUBMITTED)
    otp_login(client, f.commission())
    response = client.post(_url("return", project), {"reason": "  "})
    page = response.content.decode()
    assert response.status_code == 200
    assert field_errors(page, "reason") == ["退回时必须填写退回原因。"]
    assert page_messages(response) == []
    assert Project.objects.get(pk=project.pk).state == ProjectState.SUBMITTED
    client.post(_url("return", project), {"reason": "请补充合作方案"})
    assert Project.objects.get(pk=project.pk).state == ProjectState.RETURNED


@pytest.mark.parametrize("value", ["", "999999", "abc"])
def test_accept_without_a_round_shows_the_error_at_the_round(client, value):
    project = f.project(state=ProjectState.SUBMITTED)
    otp_login(client, f.commission())
    response = client.post(_url("accept", project), {"round": value})
    assert response.status_code == 200
    assert field_errors(response.content.decode(), "round") == ["请选择评审批次。"]
    assert page_messages(response) == []
    assert Project.objects.get(pk=project.pk).state == ProjectState.SUBMITTED


def test_decide_shows_each_error_at_its_field_and_keeps_what_was_typed(client):
    project = _in_state(ProjectState.REVIEWED, round=f.review_round())
    ReviewRound.objects.filter(pk=project.round_id).update(state=RoundState.CLOSED)
    otp_login(client, f.commission())
    response = client.post(_url("decide", project), {"approved_funding": "-5", "reason": "材料齐全"})
    page = response.content.decode()
    assert response.status_code == 200
    assert field_errors(page, "approve") == ["这个字段是必填项。"]
    assert field_errors(page, "approved_funding") == ["确保该值大于或等于0.01。"]
    assert 'value="-5"' in page and "材料齐全</textarea>" in page
    assert "这个字段是必填项。；" not in page and page_messages(response) == []
    assert Project.objects.get(pk=project.pk).state == ProjectState.REVIEWED


def test_agreement_errors_stand_at_their_fields_not_joined(client):
    project = _in_state(ProjectState.FILED)
    otp_login(client, f.member_of(project))
    response = client.post(_url("agreement", project), {"signed_on": "2026-02-30"})
    page = response.content.decode()
    assert response.status_code == 200
    assert field_errors(page, "file") == ["这个字段是必填项。"]
    assert field_errors(page, "signed_on") == ["输入一个有效的日期。"]
    assert "这个字段是必填项。；输入一个有效的日期。" not in page and page_messages(response) == []
    assert 'value="2026-02-30"' in page
    assert Project.objects.get(pk=project.pk).state == ProjectState.FILED


def test_appoint_with_an_invalid_date_shows_the_error_before_any_confirmation(client):
    project = _in_state(ProjectState.AGREEMENT_SIGNED, approved_funding=F("total_funds"))
    ensure_policy_2_0()
    otp_login(client, f.commission())
    response = client.post(_url("appoint", project), {"start_date": "2026-13-45"})
    page = response.content.decode()
    assert response.status_code == 200 and "确认聘任并签发聘书" not in page
    assert field_errors(page, "start_date") == ["请填写有效的聘期开始日期。"]
    assert 'value="2026-13-45"' in page
    assert not Appointment.objects.filter(project=project).exists()


def test_a_refused_appointment_comes_back_on_the_form_with_the_date_typed(client):
    """The service's refusal (after the confirmation) stands above the form, with the date kept."""
    project = _in_state(ProjectState.AGREEMENT_SIGNED)  # no approved funding: the service refuses
    ensure_policy_2_0()
    otp_login(client, f.commission())
    response = client.post(_url("appoint", project), {"start_date": "2026-03-01", "confirmed": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    form = page.split('id="appoint"', 1)[1]
    assert "项目尚未核定经费，不能聘任。" in form and 'value="2026-03-01"' in form
    assert not Appointment.objects.filter(project=project).exists()


def test_a_refused_button_without_a_form_answers_with_a_message(client):
    project = f.project()  # not confirmed by the expert yet
    otp_login(client, f.member_of(project))
    response = client.post(_url("submit", project))
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert page_messages(response) == ["专家尚未确认申报内容，不能提交。"]
    assert Project.objects.get(pk=project.pk).state == ProjectState.DRAFT


# Each action, posted by someone who may not take it: another project's enterprise or expert, the project's
# own parties for the commission's actions, the talent office. All 404, nothing changed.
OUTSIDERS = {
    "confirm": ("stranger_expert", "enterprise", "commission", "talent_office"),
    "submit": ("stranger_enterprise", "expert", "commission", "talent_office"),
    "return": ("enterprise", "expert", "talent_office"),
    "accept": ("enterprise", "expert", "talent_office"),
    "decide": ("enterprise", "expert", "talent_office"),
    "agreement": ("stranger_enterprise", "expert", "talent_office"),
    "appoint": ("enterprise", "expert", "talent_office"),
}


def _user(who: str, project: Project):
    other = f.project()
    return {
        "enterprise": lambda: f.member_of(project),
        "expert": lambda: project.expert.user,
        "stranger_enterprise": lambda: f.member_of(other),
        "stranger_expert": lambda: other.expert.user,
        "commission": f.commission,
        "talent_office": f.talent_office,
    }[who]()


@pytest.mark.parametrize(
    ("action", "who"), [(action, who) for action, users in OUTSIDERS.items() for who in users]
)
def test_an_action_by_someone_who_may_not_take_it_is_404(client, action, who):
    project = f.project(state=ProjectState.SUBMITTED)
    otp_login(client, _user(who, project))
    data = {"reason": "x", "round": f.review_round().pk, "approve": "1", "start_date": "2026-03-01"}
    assert client.post(_url(action, project), {**data, "confirmed": "1"}).status_code == 404
    fresh = Project.objects.get(pk=project.pk)
    assert (fresh.state, fresh.transitions.count()) == (ProjectState.SUBMITTED, project.transitions.count())


def test_the_project_actions_answer_no_get(client):
    project = f.project()
    otp_login(client, f.member_of(project))
    assert client.get(_url("submit", project)).status_code == 405


@pytest.mark.parametrize("action", ["assign", "open", "close", "decide", "letters"])
def test_round_buttons_are_the_commission_s_only(client, action):
    round = f.review_round()
    project = f.project(state=ProjectState.SUBMITTED)
    for user in (f.member_of(project), project.expert.user, f.talent_office(), f.reviewer().user):
        otp_login(client, user)
        url = reverse(f"projects:round-{action}", args=[round.pk])
        assert client.post(url, {"confirmed": "1"}).status_code == 404
    assert ReviewRound.objects.get(pk=round.pk).state == RoundState.DRAFT


def test_a_refused_round_button_answers_with_a_message_on_the_round_page(client):
    round = f.review_round()
    otp_login(client, f.commission())
    response = client.post(reverse("projects:round-close", args=[round.pk]))
    assert response.status_code == 302 and response["Location"] == f"/projects/rounds/{round.pk}/"
    assert len(page_messages(response)) == 1
    assert ReviewRound.objects.get(pk=round.pk).state == RoundState.DRAFT
    page = client.get(reverse("projects:round-detail", args=[round.pk])).content.decode()
    assert f'action="{reverse("projects:round-open", args=[round.pk])}"' in page
