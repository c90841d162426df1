"""User journeys through the real UI in a real Chromium, in Chinese (issue 10, items 4–6).

One test per journey. Preconditions that are not part of a journey are made with the factories; every
step of the journey itself is a click or a form in the browser. Each actor has their own browser context
(`as_user`), so the staff member, the enterprise and the expert stay logged in side by side. Every page
loaded is checked for the accessibility basics (see conftest.A11Y_SCRIPT); `guide_shot` names the
screenshots that illustrate docs/guide/ (tests/browser/test_guide.py checks the two agree).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail

from accounts.enums import Role
from accounts.seed import DEMO_PASSWORD
from tests.browser.conftest import PHONE, guide_shot
from tests.factories.accounts import UserFactory, otp_device_for

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# Helpers ------------------------------------------------------------------------------------------------


def current_code(username: str) -> str:
    """The TOTP code the user's authenticator shows now; when this 30-second step was already used (the
    same user logging in twice quickly), the next step's code, which the one-step tolerance accepts."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    if device.last_t is not None and totp.t() <= device.last_t:
        totp.drift = device.last_t - totp.t() + 1
    return f"{totp.token():0{device.digits}d}"


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form; staff-side users then pass the two-factor step with their TOTP code."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("load")
    if page.locator("#otp-verify-form").count():
        page.fill("#otp-verify-form input[name=token]", current_code(username))
        page.click("#otp-verify-form button[type=submit]")
        page.wait_for_load_state("load")
    assert "/accounts/login/" not in page.url, page.inner_text("main")


def as_user(session, user, **kwargs):
    """A new browser context with `user` logged in through the login form."""
    page = session.new_page(**kwargs)
    login(page, user.username)
    return page


def staff(role: Role, username: str, full_name: str):
    """A staff-side user with a confirmed TOTP device, as the portal's enrolment leaves them."""
    user = UserFactory(username=username, full_name=full_name, roles=[role])
    otp_device_for(user)
    return user


def reviewer(username: str, name: str, expertise: str, workplace: str):
    """A reviewer in the commission's reviewer pool, with a login that passes the two-factor step."""
    from projects.services import reviewer_upsert

    return reviewer_upsert(
        user=staff(Role.REVIEWER, username, name),
        by=None,
        name=name,
        expertise=expertise,
        institution=None,
        institution_name=workplace,
        expert=None,
        enterprises=(),
        capacity=None,
    )


def submit(page, selector: str = "main form button:not([type=button])") -> None:
    page.locator(selector).first.click()
    page.wait_for_load_state("load")


def alert_text(page) -> str:
    return " ".join(page.locator("main .alert").all_inner_texts())


def assert_fits(page) -> None:
    """No horizontal scrolling at the page's viewport width."""
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        culprits = page.evaluate(OVERFLOWING)
        raise AssertionError(
            f"{page.url} overflows the {page.viewport_size['width']}px viewport by {overflow}px: {culprits}"
        )


# The innermost elements that stick out to the right of the viewport (for the failure message).
OVERFLOWING = """[...document.querySelectorAll("main *, header *, nav *")]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "." + e.className
    + " «" + (e.textContent || "").trim().slice(0, 30) + "»")"""


def assert_phone_layout(session, user, paths: list[str]) -> None:
    """On a 390-px phone the menu collapses behind its toggle button and no page scrolls sideways."""
    phone = as_user(session, user, viewport=PHONE) if user else session.new_page(viewport=PHONE)
    for path in paths:
        phone.goto(path)
        assert_fits(phone)
    toggler, menu = phone.locator("#main-nav-toggle"), phone.locator("#main-nav")
    assert toggler.is_visible() and not menu.is_visible()
    toggler.click()
    menu.wait_for(state="visible")
    assert_fits(phone)


def assert_accessible(session) -> None:
    """The basics (A11Y_SCRIPT) and axe-core's WCAG 2.1 A/AA rules held on every page the test loaded."""
    session.check_pages()
    assert session.axe_pages, "axe-core checked no page"
    assert not session.problems, "\n".join(session.problems)


# Journeys -------------------------------------------------------------------------------------------------


def test_accessibility_check_reports_what_it_should(session):
    """The checkers every journey relies on: a page with two <h1>, an unlabelled field and an empty title
    is reported; labelled, hidden, submit and csrf fields are not; axe-core reports the same page's WCAG
    violations (the unlabelled fields, the missing lang) and none on a clean page, although the page's
    CSP allows no inline script."""
    page = session.new_page()
    bad = (
        "<html><head><title></title></head><body><h1>a</h1><h1>b</h1>"
        "<form><input type=hidden name=csrfmiddlewaretoken><input type=submit>"
        "<label for=ok>名称</label><input id=ok name=ok><label>包裹<input name=wrapped></label>"
        "<input name=aria aria-label=说明><input name=orphan><select name=orphan_select></select>"
        "<input name=invisible style='display:none'></form></body></html>"
    )
    good = "<html lang=zh><head><title>标题</title></head><body><main><h1>一个</h1></main></body></html>"
    csp = {"Content-Security-Policy": "script-src 'self'; style-src 'self' 'unsafe-inline'"}
    page.route("**/a11y-bad", lambda route: route.fulfill(body=bad, content_type="text/html", headers=csp))
    page.route("**/a11y-good", lambda route: route.fulfill(body=good, content_type="text/html", headers=csp))
    page.goto("/a11y-good")
    session.check_pages()  # these pages are answered by page.route, so the session's route does not wait
    page.goto("/a11y-bad")
    page.wait_for_function("document.readyState === 'complete'")
    session.check_pages()
    basics = [p for p in session.problems if p.startswith("A11Y ")]
    assert len(basics) == 1, session.problems
    problem = basics[0]
    assert "empty <title>" in problem and "2 <h1>" in problem
    assert "name=orphan;" in problem and "name=orphan_select" in problem
    for fine in ("name=ok", "name=wrapped", "name=aria", "csrf", "name=invisible"):
        assert fine not in problem
    axe = [p for p in session.problems if p.startswith("AXE ")]
    assert any(p.startswith("AXE /a11y-bad: label ") and "orphan" in p for p in axe), axe
    assert any(p.startswith("AXE /a11y-bad: html-has-lang ") for p in axe), axe
    assert not [p for p in axe if p.startswith("AXE /a11y-good")], axe
    assert {"/a11y-good", "/a11y-bad"} <= set(session.axe_pages)
    session.problems.clear()


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
    inst.fill("#id_name", "周明哲")
    inst.select_option("#id_gender", "male")
    inst.fill("#id_id_number", id_number(4242, born=date(1978, 5, 6)))
    inst.fill("#id_phone", "13911112222")
    inst.fill("#id_email", "zhoumz@example.edu.cn")
    inst.fill("#id_department", "化学工程学院")
    # 118 disciplines: the select is a type-ahead (static/js/lists.js); typing the name picks it
    inst.fill("#id_discipline-typeahead", str(Discipline.objects.get(name="化学工程与技术")))
    inst.select_option("#id_degree", "doctorate")
    inst.fill("#id_work_start", "2008-07-01")
    inst.fill("#id_title", "教授")
    inst.select_option("#id_title_level", "senior")
    inst.fill("#id_research_fields", "锂离子电池电解液与储能材料")
    inst.fill("#id_keywords", "储能，锂离子电池，电解液")
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
    inst.click("#submit-nomination")
    inst.wait_for_load_state("load")
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
    kw.click("#confirm-button")
    kw.wait_for_load_state("load")
    nomination.refresh_from_db()
    assert nomination.state == "admitted", alert_text(kw)

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
    ent.fill("#id_username", "hengyuan_admin")
    ent.fill("#id_full_name", "吴恒远")
    ent.fill("#id_email", "wu@hengyuan-energy.example.cn")
    ent.fill("#id_phone", "13600001111")
    ent.fill("#id_password1", "Hengyuan-Storage-2026")
    ent.fill("#id_password2", "Hengyuan-Storage-2026")
    ent.fill("#id_name", "北京恒远储能科技有限公司")
    ent.fill("#id_uscc", make_uscc(7001))
    ent.fill("#id_registered_address", "北京市昌平区未来科学城南区能源东路8号")
    ent.check("#id_in_changping")
    ent.select_option("#id_industry", str(energy.pk))
    ent.select_option("#id_size", "small")
    ent.fill("#id_employee_count", "86")
    ent.fill("#id_rd_staff_count", "32")
    ent.fill("#id_description", "从事储能电站电池管理系统研发与集成。")
    ent.fill("#id_contact_name", "吴恒远")
    ent.fill("#id_contact_phone", "010-69700001")
    ent.fill("#id_contact_email", "wu@hengyuan-energy.example.cn")
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
    kw.click("#verify-btn")
    kw.wait_for_load_state("load")
    enterprise.refresh_from_db()
    assert enterprise.state == "verified", alert_text(kw)

    # The enterprise writes and publishes a demand, then invites the best-matching expert.
    ent.goto("/enterprises/demands/new/")
    ent.fill("#id_title", "储能电站电池管理系统优化")
    ent.fill("#id_technical_field", "电化学储能")
    ent.fill("#id_keywords", "储能，电池管理系统，锂离子电池")
    ent.select_option("#id_industry", str(energy.pk))
    ent.fill("#id_description", "优化储能电站电池管理系统的均衡算法与热管理设计。")
    ent.fill("#id_expected_work", "每月到企业指导研发团队不少于4天。")
    ent.fill("#id_deadline", (timezone.localdate() + timedelta(days=45)).isoformat())
    guide_shot(ent, "enterprise-demand-form")
    submit(ent, "#main-form button[type=submit]")
    ent.click("#publish-btn")
    ent.wait_for_load_state("load")
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
    ent.click("#invite-btn")
    ent.wait_for_load_state("load")
    intent = Intent.objects.get(demand=demand, expert=expert)
    assert intent.state == "pending" and intent.message.startswith("希望孙老师")

    # The expert sees the invitation and accepts it: a mutual cooperation intent.
    exp = as_user(session, expert.user)
    exp.goto("/enterprises/intents/")
    exp.click(f"a[href='/enterprises/intents/{intent.pk}/']")
    exp.wait_for_selector("#accept-btn")
    assert "希望孙老师每月到企业指导两天" in exp.inner_text("main")
    guide_shot(exp, "expert-invitation")
    exp.click("#accept-btn")
    exp.wait_for_load_state("load")
    intent.refresh_from_db()
    assert intent.state == "accepted", alert_text(exp)
    ent.goto(f"/enterprises/intents/{intent.pk}/")
    assert ent.locator("#cooperation-intent a:has-text('立项申报')").get_attribute("href") == (
        f"/projects/new/{intent.pk}/"
    )

    assert_phone_layout(
        session, expert.user, ["/home/", "/enterprises/intents/", f"/enterprises/intents/{intent.pk}/"]
    )
    assert_accessible(session)


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
    ent.fill("#id_technical_field", "生物医药")
    ent.fill("#id_objectives", "建立抗体药物高通量筛选平台")
    ent.fill("#id_content", "抗体偶联药物、单克隆抗体筛选与工艺开发")
    ent.fill("#id_expected_results", "申请发明专利2项，完成中试")
    ent.fill("#id_schedule", "第一年完成平台搭建\n第二年完成中试")
    ent.fill("#id_requested_start", (today + timedelta(days=1)).isoformat())
    ent.fill("#id_total_funds", "500000.00")
    for name, amount in pf.BUDGET.items():
        ent.fill(f"#id_{name}", str(amount))
    ent.set_input_files(
        "#id_cooperation_plan", {"name": "合作方案.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    guide_shot(ent, "enterprise-project-form")
    submit(ent, "main form button.btn-danger")
    project = Project.objects.get(title="高通量抗体筛选平台合作开发")
    exp = as_user(session, project.expert.user)
    exp.goto(f"/projects/{project.pk}/")
    exp.click("#confirm-project")
    exp.wait_for_load_state("load")
    ent.goto(f"/projects/{project.pk}/")
    ent.click("#submit-project")
    ent.wait_for_load_state("load")
    project.refresh_from_db()
    assert project.state == "submitted", alert_text(ent)
    guide_shot(ent, "enterprise-project-submitted")

    # Staff open a review round, accept the filing into it, assign reviewers and start scoring.
    kw = as_user(session, commission)
    kw.goto("/projects/rounds/new/")
    kw.fill("#id_name", "2026年第4批科技副总项目评审")
    kw.fill("#id_period_start", today.isoformat())
    kw.fill("#id_period_end", (today + timedelta(days=30)).isoformat())
    kw.fill("#id_deadline", (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"))
    kw.fill("#id_reviewers_per_application", "2")
    if kw.locator("#id_uses_notice").is_checked():
        kw.uncheck("#id_uses_notice")
    guide_shot(kw, "staff-round-form")
    submit(kw)
    review_round = ReviewRound.objects.get(name="2026年第4批科技副总项目评审")
    kw.goto(f"/projects/{project.pk}/")
    kw.select_option("#formal-check select[name=round]", str(review_round.pk))
    kw.click("#formal-check button:has-text('受理并加入评审批次')")
    kw.wait_for_load_state("load")
    kw.goto(f"/projects/rounds/{review_round.pk}/")
    kw.click("#assign")
    kw.wait_for_load_state("load")
    kw.click("main button:has-text('开始评审')")
    kw.wait_for_load_state("load")
    review_round.refresh_from_db()
    assert review_round.state == "open", alert_text(kw)
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
        rv.click("#confirm-button")
        rv.wait_for_load_state("load")
        assert "评分已提交" in alert_text(rv)

    # Staff close the round, approve the project and publish the results.
    kw.goto(f"/projects/rounds/{review_round.pk}/")
    kw.click("main button:has-text('结束评审')")
    kw.wait_for_load_state("load")
    guide_shot(kw, "staff-round-results")
    kw.goto(f"/projects/{project.pk}/")
    kw.check("#decision input[name=approve][value='1']")
    kw.fill("#decision input[name=approved_funding]", "500000.00")
    guide_shot(kw, "staff-project-decision", focus="#decision")
    kw.click("#decision button:has-text('确定')")
    kw.wait_for_load_state("load")
    kw.goto(f"/projects/rounds/{review_round.pk}/")
    kw.click("main button:has-text('发布立项结果')")
    kw.wait_for_load_state("load")
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
    project.refresh_from_db()
    assert project.state == "filed", alert_text(to)

    # The enterprise uploads the signed agreement; staff appoint and download both letters.
    ent.goto(f"/projects/{project.pk}/")
    ent.set_input_files(
        "#agreement input[type=file]", {"name": "合作协议.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    ent.fill("#agreement input[name=signed_on]", today.isoformat())
    ent.click("#agreement button")
    ent.wait_for_load_state("load")
    project.refresh_from_db()
    assert project.state == "agreement_signed", alert_text(ent)
    kw.goto(f"/projects/{project.pk}/")
    kw.fill("#appoint input[name=start_date]", (today + timedelta(days=1)).isoformat())
    kw.click("#appoint button")
    kw.wait_for_selector("#confirm-summary")  # the term and the letters, once more before they start
    kw.click("#confirm-button")
    kw.wait_for_load_state("load")
    project.refresh_from_db()
    assert project.state == "appointed", alert_text(kw)
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


def test_allowances_generated_finance_approves_and_pays_expert_sees_payment(session, reference_data):
    from io import StringIO

    from dateutil.relativedelta import relativedelta
    from django.core.management import call_command
    from django.utils import timezone

    from subsidies.enums import PayeeKind
    from subsidies.models import Payment, PaymentBatch
    from tests.factories import projects as pf
    from tests.factories import terms as tf
    from tests.factories.subsidies import BankAccountFactory

    # Precondition: an appointment that started on the first day of last month, so that exactly one
    # service month has ended, and the expert's bank account.
    today = timezone.localdate()
    start = today.replace(day=1) - relativedelta(months=1)
    commission = staff(Role.COMMISSION, "kw_li", "李科委")
    finance = staff(Role.FINANCE, "czj_he", "何财政")
    appointment = tf.appointment(
        start=start,
        exp=pf.expert(name="王立新", institution_obj=pf.institution("北京化工大学")),
        ent=tf.enterprise(name="北京未来新材料科技有限公司"),
        staff=commission,
        title="高性能复合材料成型工艺优化",
    )
    BankAccountFactory(payee_kind=PayeeKind.EXPERT, expert=appointment.expert, holder_name="王立新")

    # The monthly job (beat task; the same as `manage.py generate_allowances`) generates the month.
    call_command("generate_allowances", stdout=StringIO())
    payment = Payment.objects.get(expert=appointment.expert)
    assert payment.amount == 2000 and payment.paid_on is None

    # Staff open a batch, put the payment in and submit it to finance.
    kw = as_user(session, commission)
    kw.goto("/subsidies/batches/")
    kw.fill("#id_title", f"{start.year}年{start.month}月人才生活补贴")
    submit(kw, "main form button:has-text('新建')")
    batch = PaymentBatch.objects.get()
    kw.goto("/subsidies/payments/due/")
    kw.check(f"#add-to-batch input[name=payment][value='{payment.pk}']")
    kw.select_option("#batch-select", str(batch.pk))
    guide_shot(kw, "staff-payments-due")
    kw.click("#add-to-batch button:has-text('加入批次')")
    kw.wait_for_load_state("load")
    kw.goto(f"/subsidies/batches/{batch.pk}/")
    kw.click("main button:has-text('提交财政审核')")
    kw.wait_for_load_state("load")
    batch.refresh_from_db()
    assert batch.state == "submitted", alert_text(kw)
    guide_shot(kw, "staff-batch-submitted")

    # Finance approves the batch, then records the payment date and the bank reference.
    fin = as_user(session, finance)
    fin.goto("/subsidies/batches/")
    fin.click(f"main a[href='/subsidies/batches/{batch.pk}/']")
    fin.wait_for_selector("main button:has-text('审核通过')")
    guide_shot(fin, "finance-batch-approve")
    fin.click("main button:has-text('审核通过')")
    fin.wait_for_selector("#confirm-summary")  # the total in figures and in capitals, before anything
    assert "大写" in fin.inner_text("#confirm-summary")
    fin.click("#confirm-button")
    fin.wait_for_load_state("load")
    batch.refresh_from_db()
    assert batch.state == "approved", alert_text(fin)
    fin.fill("input[name=paid_on]", today.isoformat())
    fin.fill("input[name=bank_reference]", "ICBC20261125000123")
    guide_shot(fin, "finance-batch-pay", focus="input[name=bank_reference]")
    fin.click("main button:has-text('确认已支付')")
    fin.wait_for_selector("#confirm-summary")
    fin.click("#confirm-button")
    fin.wait_for_load_state("load")
    batch.refresh_from_db()
    assert batch.state == "paid", alert_text(fin)
    response = fin.request.get(f"/subsidies/batches/{batch.pk}/statement.pdf")
    assert response.ok and response.body().startswith(b"%PDF")

    # The expert sees the allowance paid on that day.
    exp = as_user(session, appointment.expert.user)
    exp.goto("/subsidies/mine/")
    row = exp.locator("#allowance-table tbody tr", has_text="区人才生活补贴").first
    assert f"已于 {today.isoformat()} 发放" in row.inner_text(), exp.inner_text("#allowance-table")
    guide_shot(exp, "expert-allowances")

    assert_phone_layout(session, finance, ["/home/", f"/subsidies/batches/{batch.pk}/"])
    assert_accessible(session)


def test_term_ends_panel_grades_expert_downloads_and_verifies_opinion(session, reference_data):
    from io import BytesIO, StringIO

    from dateutil.relativedelta import relativedelta
    from django.core.management import call_command
    from django.utils import timezone
    from pypdf import PdfReader

    from terms.models import Evaluation
    from tests.factories import projects as pf
    from tests.factories import terms as tf

    # Precondition: a 24-month term that started 24 months and ten days ago, so its last day has passed.
    today = timezone.localdate()
    commission = staff(Role.COMMISSION, "kw_zheng", "郑科委")
    appointment = tf.appointment(
        start=today - relativedelta(months=24, days=10),
        exp=pf.expert(name="林书远", institution_obj=pf.institution("北京理工大学")),
        ent=tf.enterprise(name="北京昌科智能装备有限公司"),
        staff=commission,
        title="智能装备视觉检测系统研发",
    )
    panel = [
        reviewer(f"pj_{n}", name, "智能制造 装备", workplace)
        for n, name, workplace in (
            ("gao", "高志远", "清华大学机械工程系"),
            ("ma", "马晓燕", "北京航空航天大学"),
            ("luo", "罗建国", "中国科学院自动化研究所"),
        )
    ]

    # The nightly job ends the term.
    call_command("terms_end_appointments", stdout=StringIO())
    appointment.refresh_from_db()
    assert appointment.state != "active"

    # Staff form the evaluation panel and open the grading.
    kw = as_user(session, commission)
    kw.goto(f"/terms/{appointment.pk}/")
    kw.click("main a:has-text('组织任职评价')")
    for member in panel:
        kw.check(f"input[name=reviewers][value='{member.pk}']")
    guide_shot(kw, "staff-evaluation-panel", focus="input[name=reviewers]")
    submit(kw, "main form button.btn-danger")
    evaluation = Evaluation.objects.get(appointment=appointment)
    kw.goto(f"/terms/evaluation/{evaluation.pk}/")
    kw.click("main button:has-text('开始评价')")
    kw.wait_for_load_state("load")

    # Each panel member grades the term.
    for member, grade in zip(panel, ("excellent", "good", "excellent"), strict=True):
        pj = as_user(session, member.user)
        pj.goto("/terms/panel/")
        pj.click("main a:has-text('林书远')")
        pj.check(f"input[name=grade][value={grade}]")
        pj.fill("textarea[name=opinion]", "履职尽责，协助企业完成中试，成效明显。")
        if member is panel[0]:
            guide_shot(pj, "reviewer-panel-grade", focus="textarea[name=opinion]")
        submit(pj, "main form button[type=submit]")
        assert "提交" in alert_text(pj), pj.inner_text("main")

    # Staff issue the evaluation opinion with the panel's (median) grade.
    kw.goto(f"/terms/evaluation/{evaluation.pk}/")
    kw.select_option("#id_grade", "excellent")
    kw.fill("#id_opinion", "该同志在服务期内履职尽责，评价等级为优秀。")
    guide_shot(kw, "staff-evaluation-finalise", focus="#id_opinion")
    submit(kw, "main form:has(#id_opinion) button[type=submit]")
    evaluation.refresh_from_db()
    assert evaluation.state == "finalised", alert_text(kw)

    # The expert downloads the opinion and checks it through the verification link printed under its QR code.
    exp = as_user(session, appointment.expert.user)
    exp.goto(f"/terms/{appointment.pk}/")
    link = exp.locator("main a:has-text('下载任职评价意见')")
    guide_shot(exp, "expert-evaluation-download", focus=link)
    response = exp.request.get(link.get_attribute("href"))  # the PDF is served inline, with the session
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).replace("\n", "")
    assert "优秀" in text
    verify_path = re.search(r"(/verify/[^\s/]+/)", text).group(1)
    public = session.new_page()
    public.goto(verify_path)
    assert "核验通过" in public.inner_text("#verify-result")
    assert public.inner_text("#verify-serial").strip()
    assert "林书远" not in public.inner_text("main")  # no personal data on the public page
    guide_shot(public, "public-verify")

    assert_phone_layout(session, appointment.expert.user, ["/home/", f"/terms/{appointment.pk}/"])
    assert_phone_layout(session, None, [verify_path])
    assert_accessible(session)
