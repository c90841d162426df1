"""Issue 16 items 3 and 5: the review sheet shows what is judged, flags blank criteria, requires the
opinion where the round says so, and submitting asks for confirmation (each criterion and the total)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from experts.models import Achievement
from projects.models import ReviewAssignment, ReviewRound
from tests.factories import projects as f
from tests.factories.accounts import otp_login
from tests.projects.review_steps import open_round

pytestmark = pytest.mark.django_db


def _open_round(**round_data):
    round, [project], _reviewers, _staff = open_round(n_projects=1, **round_data)
    Achievement.objects.create(
        expert=project.expert, kind="patent", title="一种抗体偶联药物的制备方法", year=2023
    )
    assignment = ReviewAssignment.objects.filter(round=round).select_related("reviewer__user").first()
    return round, project, assignment


def _scores(round, value="5"):
    return {f"c{c.pk}": value for c in round.criteria.all()}


def test_sheet_shows_what_is_judged_and_never_personal_numbers(client):
    round, project, assignment = _open_round()
    project.expert.phone = "13812345678"
    project.expert.save(update_fields=["phone"])
    otp_login(client, assignment.reviewer.user)
    page = client.get(reverse("projects:review-sheet", args=[assignment.pk])).content.decode()
    # the expert's profile and achievements, the demand, the budget lines, the attachments
    assert project.expert.name in page and "一种抗体偶联药物的制备方法" in page
    assert "需要抗体偶联药物方向专家" in page and "指导工艺开发" in page
    assert 'id="sheet-budget"' in page and "设备费" in page and "单位管理费" in page
    assert reverse("projects:review-file", args=[assignment.pk, "plan"]) in page
    # each criterion with what it judges and what a high or a low score means; deadline; total
    assert "项目技术的新颖性、先进性和知识产权基础" in page
    assert "高分：技术国内领先" in page and "低分：技术已普遍应用" in page
    assert round.deadline.astimezone().strftime("%Y-%m-%d") in page
    assert 'id="sheet-total"' in page and "js/review_sheet.js" in page
    assert "评审意见（必填）" in page
    assert "13812345678" not in page and project.expert.id_number_masked not in page


def test_reviewer_downloads_attachments_of_their_assignment_only(client, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    round, project, assignment = _open_round()
    project.refresh_from_db()
    otp_login(client, assignment.reviewer.user)
    response = client.get(reverse("projects:review-file", args=[assignment.pk, "plan"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("projects:review-file", args=[assignment.pk, "agreement"])).status_code == 404
    assert client.get(reverse("projects:review-file", args=[assignment.pk, "resume"])).status_code == 404
    # no core IP evidence uploaded for this expert: 404, not a 500
    evidence = reverse("projects:review-file", args=[assignment.pk, "core_ip_evidence"])
    assert client.get(evidence).status_code == 404
    # another reviewer (even one of the same round) and the project page itself: 404
    other = ReviewAssignment.objects.filter(round=round).exclude(reviewer=assignment.reviewer).first()
    otp_login(client, other.reviewer.user)
    assert client.get(reverse("projects:review-file", args=[assignment.pk, "plan"])).status_code == 404
    assert client.get(reverse("projects:project-file", args=[project.pk, "plan"])).status_code == 404


def test_blank_criteria_are_flagged_and_nothing_is_written(client):
    round, _project, assignment = _open_round()
    criteria = list(round.criteria.all())
    otp_login(client, assignment.reviewer.user)
    data = {f"c{criteria[0].pk}": "20", "comment": "方案可行", "action": "submit"}
    response = client.post(reverse("projects:review-sheet", args=[assignment.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    # each blank criterion flagged at its field (the page's error summary lists them once more)
    form = page.split('id="error-summary"', 1)[-1].split("</ul>", 1)[-1]
    assert form.count("提交前请为此项评分") == len(criteria) - 1
    assert 'id="sheet-errors"' in page and "方案可行" in page
    assignment.refresh_from_db()
    assert assignment.state == "assigned" and not assignment.scores.exists()


def test_opinion_is_required_only_where_the_round_says_so(client):
    round, _project, assignment = _open_round()
    otp_login(client, assignment.reviewer.user)
    url = reverse("projects:review-sheet", args=[assignment.pk])
    page = client.post(url, {**_scores(round), "comment": "", "action": "submit"}).content.decode()
    assert "本批次要求填写评审意见" in page
    ReviewRound.objects.filter(pk=round.pk).update(opinion_required=False)
    ask = client.post(url, {**_scores(round), "comment": "", "action": "submit"})
    assert "确认提交评分表" in ask.content.decode()
    client.post(url, {**_scores(round), "comment": "", "action": "submit", "confirmed": "1"})
    assert ReviewAssignment.objects.get(pk=assignment.pk).state == "submitted"


def test_submit_asks_for_confirmation_with_each_criterion_and_the_total(client):
    round, _project, assignment = _open_round()
    otp_login(client, assignment.reviewer.user)
    url = reverse("projects:review-sheet", args=[assignment.pk])
    data = {**_scores(round, "10"), "comment": "创新性突出", "action": "submit"}
    ask = client.post(url, data)
    page = ask.content.decode()
    assert ask.status_code == 200
    for c in round.criteria.all():
        assert c.name in page
    assert "50 / 100" in page and "创新性突出" in page
    assignment.refresh_from_db()
    assert assignment.state == "assigned" and not assignment.scores.exists()
    # 返回修改: the sheet again, as typed, still nothing written
    back = client.post(url, {**data, "confirm_back": "1"}).content.decode()
    assert "创新性突出" in back and 'id="score-sheet"' in back
    assert not ReviewAssignment.objects.get(pk=assignment.pk).scores.exists()
    done = client.post(url, {**data, "confirmed": "1"})
    assert done.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == "submitted" and assignment.total == 50


def test_saving_a_draft_needs_no_confirmation(client):
    round, _project, assignment = _open_round()
    otp_login(client, assignment.reviewer.user)
    url = reverse("projects:review-sheet", args=[assignment.pk])
    response = client.post(url, {**_scores(round, "3"), "comment": "", "action": "save"})
    assert response.status_code == 302
    assert ReviewAssignment.objects.get(pk=assignment.pk).total == 15
    page = client.get(url).content.decode()
    assert 'id="sheet-total"' in page and ">15<" in page  # the no-JS total of the saved points


def test_stranger_cannot_post_a_sheet(client):
    round, _project, assignment = _open_round()
    otp_login(client, f.reviewer().user)
    url = reverse("projects:review-sheet", args=[assignment.pk])
    data = {**_scores(round), "comment": "x", "action": "submit", "confirmed": "1"}
    assert client.post(url, data).status_code == 404
