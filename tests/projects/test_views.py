"""Views: object-level access (foreign records are 404, lists never leak), bad input keeps what was typed,
query-count guards on lists, the public notice page."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.enums import Role
from projects import services
from projects.enums import ProjectState
from projects.models import Objection, Project, ReviewAssignment
from tests.factories import projects as f
from tests.factories.accounts import UserFactory, otp_login
from tests.projects.review_steps import approved_project, open_round, reviewed_project, score_and_close

pytestmark = pytest.mark.django_db


def _login(client, user):
    otp_login(client, user)  # staff-side roles need the second factor; harmless for the others
    return client


def test_enterprise_sees_own_project_and_404_for_foreign(client):
    mine = f.project()
    foreign = f.project()
    _login(client, f.member_of(mine))
    assert client.get(reverse("projects:project-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("projects:project-detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("projects:project-update", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("projects:project-file", args=[foreign.pk, "plan"])).status_code == 404
    body = client.get(reverse("projects:project-list")).content.decode()
    assert mine.title in body
    assert f"/projects/{foreign.pk}/" not in body


def test_expert_sees_only_projects_they_are_on(client):
    mine = f.project()
    foreign = f.project()
    _login(client, mine.expert.user)
    assert client.get(reverse("projects:project-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("projects:project-detail", args=[foreign.pk])).status_code == 404


def test_talent_office_sees_only_approved(client):
    draft = f.project()
    approved = f.project()
    Project.objects.filter(pk=approved.pk).update(state=ProjectState.APPROVED)
    _login(client, f.talent_office())
    assert client.get(reverse("projects:project-detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("projects:project-detail", args=[approved.pk])).status_code == 200


def test_reviewer_cannot_open_project_pages(client):
    project = f.project()
    _login(client, UserFactory(roles=[Role.REVIEWER]))
    assert client.get(reverse("projects:project-detail", args=[project.pk])).status_code == 404


def test_selector_and_rule_agree():
    from projects.selectors import project_list

    projects = [f.project(), f.project()]
    Project.objects.filter(pk=projects[1].pk).update(state=ProjectState.APPROVED)
    users = [
        f.member_of(projects[0]),
        projects[0].expert.user,
        f.talent_office(),
        f.commission(),
        UserFactory(roles=[Role.REVIEWER]),
    ]
    for user in users:
        visible = set(project_list(user=user).values_list("pk", flat=True))
        for project in Project.objects.all():
            assert (project.pk in visible) == user.has_perm("projects.view_project", project), (user, project)


def test_project_list_query_guard(client, django_assert_max_num_queries):
    staff = f.commission()
    for _ in range(6):
        f.project()
    _login(client, staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("projects:project-list"))
    assert response.status_code == 200
    assert response.content.decode().count("/projects/") >= 6


def test_create_with_bad_budget_keeps_input(client):
    intent = f.intent()
    user = intent.demand.enterprise.members.first().user
    _login(client, user)
    data = {k: v for k, v in f.filing_data(budget_other="4000.00", title="保留我输入的名称").items()}
    data["social_science"] = "False"
    response = client.post(reverse("projects:project-create", args=[intent.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "与项目总经费 500,000.00 元不一致" in body
    assert "保留我输入的名称" in body
    assert Project.objects.count() == 0


def test_create_then_confirm_then_submit_via_views(client):
    intent = f.intent()
    user = intent.demand.enterprise.members.first().user
    _login(client, user)
    data = f.filing_data()
    data["social_science"] = "False"
    data["cooperation_plan"] = f.plan_file()
    response = client.post(reverse("projects:project-create", args=[intent.pk]), data)
    project = Project.objects.get()
    assert response.status_code == 302
    client.post(reverse("projects:project-submit", args=[project.pk]))
    assert Project.objects.get().state == ProjectState.DRAFT  # refused: not confirmed
    otp_login(client, project.expert.user)
    client.post(reverse("projects:project-confirm", args=[project.pk]))
    otp_login(client, user)
    client.post(reverse("projects:project-submit", args=[project.pk]))
    assert Project.objects.get().state == ProjectState.SUBMITTED


def test_expected_subsidy_shown(client):
    project = f.project()
    _login(client, f.member_of(project))
    body = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    assert "250,000.00" in body  # 50 % of 500,000.00, below the 300,000.00 cap


def _open_round():
    round, [project], _reviewers, staff = open_round(n_projects=1)
    return round, project, staff


def test_reviewer_sees_assigned_and_404_for_unassigned(client):
    round, project, _staff = _open_round()
    assignment = ReviewAssignment.objects.filter(round=round).first()
    _login(client, assignment.reviewer.user)
    assert client.get(reverse("projects:review-sheet", args=[assignment.pk])).status_code == 200
    stranger = f.reviewer()
    otp_login(client, stranger.user)
    assert client.get(reverse("projects:review-sheet", args=[assignment.pk])).status_code == 404
    assert project.title not in client.get(reverse("projects:review-list")).content.decode()


def test_reviewer_sees_nothing_after_round_closes(client):
    round, project, staff = _open_round()
    assignment = ReviewAssignment.objects.filter(round=round).first()
    services.round_close(round=round, by=staff)
    _login(client, assignment.reviewer.user)
    assert client.get(reverse("projects:review-sheet", args=[assignment.pk])).status_code == 404
    assert project.title not in client.get(reverse("projects:review-list")).content.decode()


def test_score_above_max_shows_message_and_keeps_input(client):
    round, _project, _staff = _open_round()
    assignment = ReviewAssignment.objects.filter(round=round).first()
    criteria = list(round.criteria.all())
    _login(client, assignment.reviewer.user)
    data = {f"c{c.pk}": "5" for c in criteria}
    data[f"c{criteria[0].pk}"] = "35"
    data["comment"] = "我写的意见"
    data["action"] = "submit"
    response = client.post(reverse("projects:review-sheet", args=[assignment.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "我写的意见" in body
    assert "30" in body
    assert ReviewAssignment.objects.get(pk=assignment.pk).state == "assigned"


def test_review_list_query_guard(client, django_assert_max_num_queries):
    round, _project, _staff = _open_round()
    reviewer = ReviewAssignment.objects.filter(round=round).first().reviewer
    _login(client, reviewer.user)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("projects:review-list")).status_code == 200


def test_round_pages_staff_only(client):
    round, project, staff = _open_round()
    _login(client, f.member_of(project))
    assert client.get(reverse("projects:round-detail", args=[round.pk])).status_code == 404
    otp_login(client, staff)
    response = client.get(reverse("projects:round-detail", args=[round.pk]))
    assert response.status_code == 200
    assert project.title in response.content.decode()


def test_round_create_view_with_rubric(client):
    staff = f.commission()
    _login(client, staff)
    response = client.post(
        reverse("projects:round-create"),
        {
            "name": "2027年第一批",
            "period_start": "2027-01-01",
            "period_end": "2027-01-31",
            "deadline": "2027-01-20T17:00",
            "reviewers_per_application": 3,
            "pass_line": "70",
            "leading_industry_bonus": "2",
            "uses_notice": "on",
            "notice_days": 5,
            "rubric": "技术创新性 40\n需求契合度 60",
        },
    )
    assert response.status_code == 302
    from projects.models import ReviewRound

    round = ReviewRound.objects.get(name="2027年第一批")
    assert [(c.name, int(c.max_points)) for c in round.criteria.all()] == [
        ("技术创新性", 40),
        ("需求契合度", 60),
    ]


def test_results_xlsx_export(client):
    from openpyxl import load_workbook

    round, project, staff = _open_round()
    score_and_close(round, staff)
    _login(client, staff)
    response = client.get(reverse("projects:round-results", args=[round.pk, "xlsx"]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["B3"].value == project.title
    assert ws["F3"].value == 90.0
    assert ws["A3"].value == 1


def test_public_notice_and_objection(client):
    _round, project, _staff = approved_project(uses_notice=True)
    response = client.get(reverse("projects:notice"))  # anonymous
    assert response.status_code == 200
    assert project.title in response.content.decode()
    response = client.post(
        reverse("projects:notice"),
        {"project": project.pk, "name": "李某", "contact": "", "content": "有异议"},
    )
    assert "有异议" in response.content.decode()  # kept, contact missing
    assert Objection.objects.count() == 0
    client.post(
        reverse("projects:notice"),
        {"project": project.pk, "name": "李某", "contact": "13911112222", "content": "有异议"},
    )
    assert Objection.objects.get().objector_contact == "13911112222"


@pytest.mark.parametrize(
    "next_url, expected",
    [
        ("https://evil.example/", None),
        ("//evil.example/x", None),
        ("projects:notice", None),
        ("/notice/x", "/notice/x"),
    ],
)
def test_resolving_an_objection_goes_back_only_to_a_page_of_this_site(client, next_url, expected):
    """The resolve form may name the page to go back to; an address elsewhere (or a view name) is ignored
    and the round page is shown (it was followed as given before)."""
    round, project, staff = approved_project(uses_notice=True)
    objection = Objection.objects.create(
        project=project, objector_name="李某", objector_contact="13911112222", content="有异议"
    )
    _login(client, staff)
    response = client.post(
        reverse("projects:objection-resolve", args=[objection.pk]),
        {"upheld": "0", "resolution": "经核查，异议不成立。", "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == (expected or reverse("projects:round-detail", args=[round.pk]))


def test_filing_view_for_talent_office(client):
    _round, project, _staff = approved_project(uses_notice=False)
    office = f.talent_office()
    _login(client, office)
    assert project.title in client.get(reverse("projects:filing-list")).content.decode()
    future = (date.today() + timedelta(days=3)).isoformat()
    response = client.post(
        reverse("projects:filing-list"), {"projects": [project.pk], "number": "备1", "filed_on": future}
    )
    assert "备案日期不能晚于今天" in response.content.decode()
    client.post(
        reverse("projects:filing-list"),
        {"projects": [project.pk], "number": "备1", "filed_on": date.today().isoformat()},
    )
    assert Project.objects.get(pk=project.pk).state == ProjectState.FILED


def test_project_export_shows_the_review_score_to_the_commission_only(client):
    """The score is on the project page for staff only; the list export must not hand it to the
    enterprise or the expert."""
    from openpyxl import load_workbook

    project = f.project(state=ProjectState.ACCEPTED)
    Project.objects.filter(pk=project.pk).update(review_score="87.50")

    def headers_and_row(user):
        _login(client, user)
        response = client.get(reverse("projects:project-export"))
        assert response.status_code == 200
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        return rows[0], next(r for r in rows[1:] if r[0] == project.pk)

    header, row = headers_and_row(f.commission())
    assert "评审得分" in header
    assert row[header.index("评审得分")] == 87.5
    for user in (f.member_of(project), project.expert.user):
        header, row = headers_and_row(user)
        assert "评审得分" not in header
        assert 87.5 not in row


# --- the category confirmed at the decision (issue 15 item 8) -------------------------------------------


def _reviewed(client, *, social_science):
    _round, project, staff = reviewed_project()
    Project.objects.filter(pk=project.pk).update(social_science=social_science)
    _login(client, staff)
    return Project.objects.get(pk=project.pk)


@pytest.mark.parametrize(
    ("declared", "posted", "stored", "shown"),
    [
        (True, None, None, "请确认或更正项目类别（企业申报为“社会科学与人文类”）"),
        (True, "1", True, '社会科学与人文类<span class="badge bg-success ms-1">区科委核定</span>'),
        (False, "1", True, "（企业申报：自然科学与工程技术类）"),
    ],
)
def test_decision_form_confirms_the_category(client, declared, posted, stored, shown):
    project = _reviewed(client, social_science=declared)
    page = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    assert "核定项目类别" in page
    data = {"approve": "1", "approved_funding": "100000.00", "reason": ""}
    if posted is not None:
        data["social_science"] = posted
    r = client.post(reverse("projects:project-decide", args=[project.pk]), data, follow=True)
    assert shown in r.content.decode()
    fresh = Project.objects.get(pk=project.pk)
    assert fresh.confirmed_social_science is stored
    assert fresh.state == (ProjectState.APPROVED if stored is not None else ProjectState.REVIEWED)
