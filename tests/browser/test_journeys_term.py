"""User journeys through the real UI in a real Chromium, in Chinese (issue 10, items 4–6): during and at
the end of the term — allowances generated, approved and paid; the term ends, a panel grades the expert, who
downloads the opinion that anyone can verify.

How the journeys are written: tests/browser/helpers.py.
"""

from __future__ import annotations

import re

import pytest

from accounts.enums import Role
from tests.browser.conftest import guide_shot
from tests.browser.helpers import (
    alert_text,
    as_user,
    assert_accessible,
    assert_phone_layout,
    assert_reached,
    reviewer,
    staff,
    submit,
)

pytestmark = pytest.mark.browser


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
    submit(kw, "#add-to-batch button:has-text('加入批次')")
    kw.goto(f"/subsidies/batches/{batch.pk}/")
    submit(kw, "main button:has-text('提交财政审核')")
    assert_reached(kw, batch, "submitted")
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
    submit(fin, "#confirm-button")
    assert_reached(fin, batch, "approved")
    fin.fill("input[name=paid_on]", today.isoformat())
    fin.fill("input[name=bank_reference]", "ICBC20261125000123")
    guide_shot(fin, "finance-batch-pay", focus="input[name=bank_reference]")
    fin.click("main button:has-text('确认已支付')")
    fin.wait_for_selector("#confirm-summary")
    submit(fin, "#confirm-button")
    assert_reached(fin, batch, "paid")
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
    submit(kw, "main button:has-text('开始评价')")

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
    assert_reached(kw, evaluation, "finalised")

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
