"""User journeys through the real UI in a real Chromium, in Chinese (issue 10, items 4–6): a cooperation
project filed, reviewed, approved, filed with the talent office, signed and appointed, letters downloaded.

How the journeys are written: tests/browser/helpers.py.
"""

from __future__ import annotations

import pytest

from accounts.enums import Role
from tests.browser.conftest import guide_shot
from tests.browser.helpers import (
    PDF,
    alert_text,
    as_user,
    assert_accessible,
    assert_phone_layout,
    assert_reached,
    fill_form,
    reviewer,
    staff,
    submit,
)

pytestmark = pytest.mark.browser


def test_project_filed_reviewed_approved_filed_appointed_letters_downloaded(session, reference_data):
    from datetime import timedelta

    from django.utils import timezone

    from projects.models import Project, ReviewRound
    from tests.factories import projects as pf
    from tests.factories import terms as tf

    # Precondition: an accepted intent between an enterprise and an admitted expert.
    enterprise = tf.enterprise(name="北京华辰生物医药有限公司")
    ent_user = enterprise.members.first().user
    intent = pf.intent(
        ent=enterprise, exp=pf.expert(name="郑抗体", institution_obj=pf.institution("北京协和医学院"))
    )
    commission = staff(Role.COMMISSION, "kw_sun", "孙科委")
    office = staff(Role.TALENT_OFFICE, "rcb_zhou", "周人才办")
    reviewers = [
        reviewer(f"ps_{n}", name, "抗体 药物 生物医药 筛选", workplace)
        for n, name, workplace in (
            ("feng", "冯立群", "中国医学科学院药物研究所"),
            ("chen", "陈静怡", "北京大学药学院"),
        )
    ]
    today = timezone.localdate()

    # The enterprise files the project from the accepted intent; the expert confirms; the enterprise submits.
    ent = as_user(session, ent_user)
    ent.goto(f"/enterprises/intents/{intent.pk}/")
    ent.click("main a.btn:has-text('立项申报')")
    ent.wait_for_selector("#id_title")
    ent.fill("#id_title", "高通量抗体筛选平台合作开发")
    ent.check("input[name=social_science][value=False]")
    fill_form(
        ent, technical_field="生物医药", objectives="建立抗体药物高通量筛选平台",
        content="抗体偶联药物、单克隆抗体筛选与工艺开发", expected_results="申请发明专利2项，完成中试",
        schedule="第一年完成平台搭建\n第二年完成中试",
        requested_start=(today + timedelta(days=1)).isoformat(), total_funds="500000.00",
        **{name: str(amount) for name, amount in pf.BUDGET.items()},
    )
    ent.set_input_files(
        "#id_cooperation_plan", {"name": "合作方案.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    guide_shot(ent, "enterprise-project-form")
    submit(ent, "main form button.btn-danger")
    project = Project.objects.get(title="高通量抗体筛选平台合作开发")
    exp = as_user(session, project.expert.user)
    exp.goto(f"/projects/{project.pk}/")
    submit(exp, "#confirm-project")
    ent.goto(f"/projects/{project.pk}/")
    submit(ent, "#submit-project")
    assert_reached(ent, project, "submitted")
    guide_shot(ent, "enterprise-project-submitted")

    # Staff open a review round, accept the filing into it, assign reviewers and start scoring.
    kw = as_user(session, commission)
    kw.goto("/projects/rounds/new/")
    fill_form(
        kw, name="2026年第4批科技副总项目评审", period_start=today.isoformat(),
        period_end=(today + timedelta(days=30)).isoformat(),
        deadline=(timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        reviewers_per_application="2", uses_notice=False,
    )
    guide_shot(kw, "staff-round-form")
    submit(kw)
    review_round = ReviewRound.objects.get(name="2026年第4批科技副总项目评审")
    kw.goto(f"/projects/{project.pk}/")
    kw.select_option("#formal-check select[name=round]", str(review_round.pk))
    submit(kw, "#formal-check button:has-text('受理并加入评审批次')")
    kw.goto(f"/projects/rounds/{review_round.pk}/")
    submit(kw, "#assign")
    submit(kw, "main button:has-text('开始评审')")
    assert_reached(kw, review_round, "open")
    guide_shot(kw, "staff-round-open")

    # Each reviewer scores the application and submits the sheet.
    for member, points in zip(reviewers, ((27, 22, 18, 13, 9), (25, 21, 17, 12, 8)), strict=True):
        rv = as_user(session, member.user)
        rv.goto("/projects/reviews/")
        rv.click("#review-table a:has-text('高通量抗体筛选平台合作开发')")
        fields = rv.locator("main form input[type=number]")
        for i, value in enumerate(points):
            fields.nth(i).fill(str(value))
        rv.fill("textarea[name=comment]", "技术路线清晰，需求契合度高。")
        assert rv.inner_text("#sheet-total") == str(sum(points))  # the running total (static JS)
        if member is reviewers[0]:
            guide_shot(rv, "reviewer-score-sheet", focus="textarea[name=comment]")
        rv.click("main button[value=submit]")
        rv.wait_for_selector("#confirm-summary")  # each criterion and the total, before the lock
        assert str(sum(points)) in rv.inner_text("#confirm-summary")
        submit(rv, "#confirm-button")
        assert "评分已提交" in alert_text(rv)

    # Staff close the round, approve the project and publish the results.
    kw.goto(f"/projects/rounds/{review_round.pk}/")
    submit(kw, "main button:has-text('结束评审')")
    guide_shot(kw, "staff-round-results")
    kw.goto(f"/projects/{project.pk}/")
    kw.check("#decision input[name=approve][value='1']")
    kw.fill("#decision input[name=approved_funding]", "500000.00")
    guide_shot(kw, "staff-project-decision", focus="#decision")
    submit(kw, "#decision button:has-text('确定')")
    kw.goto(f"/projects/rounds/{review_round.pk}/")
    submit(kw, "main button:has-text('发布立项结果')")
    project.refresh_from_db()
    assert project.state == "approved", (project.state, alert_text(kw))

    # The talent office records the filing.
    to = as_user(session, office)
    to.goto("/projects/filings/")
    to.check(f"#filing-table input[name=projects][value='{project.pk}']")
    to.fill("#id_number", "昌人才备〔2026〕12号")
    to.fill("#id_filed_on", today.isoformat())
    guide_shot(to, "talent-office-filing")
    submit(to, "main form button.btn-danger")
    assert_reached(to, project, "filed")

    # The enterprise uploads the signed agreement; staff appoint and download both letters.
    ent.goto(f"/projects/{project.pk}/")
    ent.set_input_files(
        "#agreement input[type=file]", {"name": "合作协议.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    ent.fill("#agreement input[name=signed_on]", today.isoformat())
    submit(ent, "#agreement button")
    assert_reached(ent, project, "agreement_signed")
    kw.goto(f"/projects/{project.pk}/")
    kw.fill("#appoint input[name=start_date]", (today + timedelta(days=1)).isoformat())
    kw.click("#appoint button")
    kw.wait_for_selector("#confirm-summary")  # the term and the letters, once more before they start
    submit(kw, "#confirm-button")
    assert_reached(kw, project, "appointed")
    kw.reload()
    links = kw.locator("#appointment a[href*='/letter/']")
    assert links.count() == 2, kw.inner_text("#appointment")
    guide_shot(kw, "staff-appointment-letters", focus="#appointment")
    for i in range(2):
        href = links.nth(i).get_attribute("href")
        response = kw.request.get(href)
        assert response.ok and response.body().startswith(b"%PDF"), href

    assert_phone_layout(
        session, commission, [f"/projects/{project.pk}/", f"/projects/rounds/{review_round.pk}/"]
    )
    assert_accessible(session)
