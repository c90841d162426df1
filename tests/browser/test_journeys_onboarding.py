"""User journeys through the real UI in a real Chromium, in Chinese (issue 10, items 4–6): getting in —
staff log in and switch language, an institution nominates an expert whom staff admit, an enterprise
registers, is verified, publishes a demand and invites an expert who accepts.

How the journeys are written: tests/browser/helpers.py.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail

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
    login,
    staff,
    submit,
)

pytestmark = pytest.mark.browser


def test_staff_logs_in_sees_chinese_workspace_and_switches_to_english(page, demo_data):
    login(page, "kw_wang")
    page.wait_for_selector("#landing-title")
    assert "区科委工作人员" in page.inner_text("#landing-title")
    page.select_option("#language-select", "en")
    page.wait_for_load_state("load")
    page.wait_for_selector("text=Workspace")
    assert "Science commission staff" in page.inner_text("#landing-title")
    page.click("#user-menu")
    page.click("text=Log out")
    page.wait_for_selector("text=Log in")


def test_institution_nominates_staff_admit_expert_sets_password(session, reference_data):
    from experts.models import Discipline, Expert, Institution, Nomination
    from tests.factories.experts import id_number, nominator

    institution = Institution.objects.create(name="北京化工大学（测试）", category="university", is_211=True)
    nominating = nominator(institution, user__username="bjhg_li", user__full_name="李推荐")
    commission = staff(Role.COMMISSION, "kw_zhao", "赵科委")

    # The institution fills in the nomination form, uploads the recommendation letter and submits.
    inst = as_user(session, nominating)
    guide_shot(inst, "institution-home")
    inst.goto("/experts/nominations/new/")
    fill_form(
        inst, name="周明哲", gender="male", id_number=id_number(4242, born=date(1978, 5, 6)),
        phone="13911112222", email="zhoumz@example.edu.cn", department="化学工程学院",
    )
    # 118 disciplines: the select is a type-ahead (static/js/lists.js); typing the name picks it
    inst.fill("#id_discipline-typeahead", str(Discipline.objects.get(name="化学工程与技术")))
    fill_form(
        inst, degree="doctorate", work_start="2008-07-01", title="教授", title_level="senior",
        research_fields="锂离子电池电解液与储能材料", keywords="储能，锂离子电池，电解液",
    )
    # One achievement row to start with; 增加一行 adds the next one in the page (static JS, no reload).
    inst.select_option("#id_ach-0-kind", "patent")
    inst.fill("#id_ach-0-title", "一种锂离子电池电解液添加剂")
    inst.click("#add-achievement-row")
    inst.select_option("#id_ach-1-kind", "paper")
    inst.fill("#id_ach-1-title", "高电压电解液界面稳定性研究")
    assert inst.input_value("#id_ach-TOTAL_FORMS") == "2"
    inst.set_input_files(
        "#id_recommendation_letter", {"name": "推荐函.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    inst.check("#id_declaration")
    inst.check("#id_personal_data_consent")  # PIPL: the institution confirms the expert was told and agreed
    guide_shot(inst, "institution-nomination-form")
    submit(inst, "main form button.btn-danger")
    inst.wait_for_selector("#submit-nomination")
    submit(inst, "#submit-nomination")
    nomination = Nomination.objects.get(expert__name="周明哲")
    assert nomination.state == "submitted", alert_text(inst)
    assert nomination.expert.achievements.count() == 2
    assert nomination.eligibility == "eligible"
    guide_shot(inst, "institution-nomination-submitted")

    # Staff see the eligibility check and admit the expert into the pool.
    kw = as_user(session, commission)
    kw.goto("/experts/nominations/?state=submitted")
    kw.click("text=周明哲")
    kw.wait_for_selector("#decision")
    guide_shot(kw, "staff-nomination-decide")
    kw.click("#decision-admit")
    kw.wait_for_selector("#confirm-summary")  # admitting cannot be undone: one more click
    submit(kw, "#confirm-button")
    assert_reached(kw, nomination, "admitted")

    # The invitation mail carries a one-time link; the expert sets a password and logs in with it.
    invite = next(m for m in mail.outbox if "zhoumz@example.edu.cn" in m.to)
    path = re.search(r"https?://[^/\s]+(/experts/invite/\S+/)", invite.body).group(1)
    expert_user = Expert.objects.get(name="周明哲").user
    exp = session.new_page()
    exp.goto(path)
    exp.wait_for_selector("input[name=new_password1]")
    guide_shot(exp, "expert-set-password")
    exp.fill("input[name=new_password1]", "Zhou-Mingzhe-2026!")
    exp.fill("input[name=new_password2]", "Zhou-Mingzhe-2026!")
    submit(exp)
    expert_user.refresh_from_db()
    assert expert_user.has_usable_password()
    login(exp, expert_user.username, "Zhou-Mingzhe-2026!")
    exp.goto("/experts/me/")
    assert "周明哲" in exp.inner_text("main")
    guide_shot(exp, "expert-profile")

    assert_phone_layout(session, nominating, ["/home/", "/experts/nominations/", "/experts/nominations/new/"])
    assert_accessible(session)


def test_enterprise_registers_is_verified_publishes_invites_expert_accepts(session, reference_data):
    from datetime import timedelta

    from django.utils import timezone

    from enterprises.models import Demand, Enterprise, Industry, Intent
    from tests.factories.enterprises import expert_user, make_uscc

    commission = staff(Role.COMMISSION, "kw_qian", "钱科委")
    expert = expert_user(
        name="孙储能",
        discipline="电气工程",
        research_fields="储能电站电池管理系统、锂离子电池热管理",
        keywords="储能，电池管理系统，锂离子电池，热管理",
    )
    energy = Industry.objects.get(code="advanced_energy")

    # The enterprise registers on the public page and is logged in as its administrator.
    ent = session.new_page()
    ent.goto("/")
    guide_shot(ent, "portal-home")
    ent.goto("/enterprises/register/")
    fill_form(
        ent, username="hengyuan_admin", full_name="吴恒远", email="wu@hengyuan-energy.example.cn",
        phone="13600001111", password1="Hengyuan-Storage-2026", password2="Hengyuan-Storage-2026",
        name="北京恒远储能科技有限公司", uscc=make_uscc(7001),
        registered_address="北京市昌平区未来科学城南区能源东路8号", in_changping=True,
        industry=str(energy.pk), size="small", employee_count="86", rd_staff_count="32",
        description="从事储能电站电池管理系统研发与集成。", contact_name="吴恒远",
        contact_phone="010-69700001", contact_email="wu@hengyuan-energy.example.cn",
    )
    guide_shot(ent, "enterprise-register")
    submit(ent, "#register-form button[type=submit]")
    enterprise = Enterprise.objects.get(name="北京恒远储能科技有限公司")
    assert enterprise.state == "registered"
    assert "注册成功" in alert_text(ent)

    # Staff verify the enterprise from the list of registrations.
    kw = as_user(session, commission)
    kw.goto("/enterprises/?state=registered")
    kw.click("text=北京恒远储能科技有限公司")
    kw.wait_for_selector("#verify-btn")
    guide_shot(kw, "staff-enterprise-verify")
    submit(kw, "#verify-btn")
    assert_reached(kw, enterprise, "verified")

    # The enterprise writes and publishes a demand, then invites the best-matching expert.
    ent.goto("/enterprises/demands/new/")
    fill_form(
        ent, title="储能电站电池管理系统优化", technical_field="电化学储能",
        keywords="储能，电池管理系统，锂离子电池", industry=str(energy.pk),
        description="优化储能电站电池管理系统的均衡算法与热管理设计。",
        expected_work="每月到企业指导研发团队不少于4天。",
        deadline=(timezone.localdate() + timedelta(days=45)).isoformat(),
    )
    guide_shot(ent, "enterprise-demand-form")
    submit(ent, "#main-form button[type=submit]")
    submit(ent, "#publish-btn")
    demand = Demand.objects.get(title="储能电站电池管理系统优化")
    assert demand.state == "published", alert_text(ent)
    first = ent.locator("#recommendations tbody tr").first
    assert "孙储能" in first.inner_text()
    assert "/ 100" in first.inner_text() and ent.locator("#match-legend").count() == 1
    guide_shot(ent, "enterprise-recommendations", focus="#recommendations")
    # The enterprise reads the expert's public profile, then invites with a message.
    first.locator("a", has_text="孙储能").click()
    ent.wait_for_selector("#public-profile")
    assert "*" not in ent.inner_text("#public-profile")  # no masked ID number or phone: not shown at all
    ent.fill("#invite textarea[name=message]", "希望孙老师每月到企业指导两天，共同优化均衡算法。")
    submit(ent, "#invite-btn")
    intent = Intent.objects.get(demand=demand, expert=expert)
    assert intent.state == "pending" and intent.message.startswith("希望孙老师")

    # The expert sees the invitation and accepts it: a mutual cooperation intent.
    exp = as_user(session, expert.user)
    exp.goto("/enterprises/intents/")
    exp.click(f"a[href='/enterprises/intents/{intent.pk}/']")
    exp.wait_for_selector("#accept-btn")
    assert "希望孙老师每月到企业指导两天" in exp.inner_text("main")
    guide_shot(exp, "expert-invitation")
    submit(exp, "#accept-btn")
    assert_reached(exp, intent, "accepted")
    ent.goto(f"/enterprises/intents/{intent.pk}/")
    assert ent.locator("#cooperation-intent a:has-text('立项申报')").get_attribute("href") == (
        f"/projects/new/{intent.pk}/"
    )

    assert_phone_layout(
        session, expert.user, ["/home/", "/enterprises/intents/", f"/enterprises/intents/{intent.pk}/"]
    )
    assert_accessible(session)
