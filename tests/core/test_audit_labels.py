"""Issue 16 item 4: the audit log reads as Chinese sentences (who did what to which record), its action
filter is a select of labelled actions, histories and sort options show labels, blank choices read 全部."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.enums import Role
from core.audit import audit
from core.audit_labels import ACTIONS, action_choices, action_label, event_sentence, summary_label
from core.models import AuditEvent
from core.workflow import transition
from subsidies.enums import TRANSITIONS, PaymentBatchState
from tests.factories.accounts import UserFactory
from tests.factories.subsidies import PaymentBatchFactory
from tests.test_chinese_ui import visible_text

APPS = ["accounts", "core", "experts", "enterprises", "projects", "terms", "subsidies", "awards", "dashboard",
        "privacy"]
# audit(by, "x.y", …) and audit(..., action="x.y"); f-strings and concatenations are listed apart.
LITERAL = re.compile(r"""audit\(\s*[^,()]+,\s*"([a-z_]+(?:\.[a-z_]+)?)\"""", re.S)
OTHER = {
    "appointment.extend", "nomination.exception_approve", "nomination.exception_refuse",
    "expert.change_request_approve", "expert.change_request_reject", "intent.enterprise_open",
    "intent.expert_open", "institution.create", "institution.update", "reviewassignment.submit",
    "reviewassignment.save", "awardsheet.submit", "awardsheet.save",
}


def _codes_in_the_source() -> set[str]:
    codes = set()
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            codes |= set(LITERAL.findall(path.read_text(encoding="utf-8")))
    return {c for c in codes if not c.endswith("_")} - {"test.event", "test.concurrent"}


def test_every_action_the_portal_writes_has_a_label():
    codes = _codes_in_the_source() | OTHER
    assert len(codes) > 60, codes
    with translation.override("zh-hans"):
        missing = sorted(c for c in codes if action_label(c) == "其他操作")
    assert not missing, f"Audit actions without a label in core/audit_labels.py ACTIONS: {missing}"


@pytest.mark.parametrize(
    "code, expected",
    [
        ("paymentbatch.approved", "支付批次改为“已审核”"),
        ("nomination.admitted", "专家推荐改为“已入库”"),
        ("login.success", "登录了系统"),
        ("no.such_action", "其他操作"),
    ],
)
def test_action_label(code, expected):
    with translation.override("zh-hans"):
        assert action_label(code) == expected


def test_action_choices_are_labelled_and_carry_every_state_change():
    with translation.override("zh-hans"):
        choices = dict(action_choices())
    assert choices["paymentbatch.paid"] == "支付批次改为“已支付”"
    assert all(not re.search(r"[a-z]", label) for label in choices.values()), choices
    assert set(ACTIONS) <= set(choices)


@pytest.mark.django_db
def test_a_state_change_reads_as_a_sentence():
    user = UserFactory(username="czj_sentence", full_name="赵敏", roles=[Role.FINANCE])
    batch = PaymentBatchFactory(state=PaymentBatchState.DRAFT)
    transition(batch, to=PaymentBatchState.SUBMITTED, by=user, allowed=TRANSITIONS)
    event = AuditEvent.objects.get(action="paymentbatch.submitted")
    with translation.override("zh-hans"):
        assert event_sentence(event) == f"赵敏（czj_sentence）将支付批次 #{batch.pk}改为“已提交”"
        assert summary_label(event) == "草稿 → 已提交"
        assert str(batch.transitions.get()) == "草稿 → 已提交"
    with translation.override("en"):
        assert summary_label(event) == "Draft → Submitted"


@pytest.mark.django_db
def test_codes_in_a_summary_are_replaced_by_their_labels():
    user = UserFactory(username="sec_x")
    audit(user, "role.grant", user, summary="rcb_li + talent_office")
    audit(None, "budget.commit", None, summary="2023 allowance 18000.00")
    with translation.override("zh-hans"):
        grant, commit = AuditEvent.objects.order_by("seq")
        assert summary_label(grant) == "rcb_li + 区人才工作领导小组办公室"
        assert "allowance" not in summary_label(commit)
        assert event_sentence(commit) == "系统占用了预算"


@pytest.mark.django_db
def test_the_audit_page_shows_sentences_and_filters_by_a_labelled_action(client, otp_login):
    actor = UserFactory(username="kw_words", full_name="王晓峰", roles=[Role.COMMISSION])
    batch = PaymentBatchFactory(state=PaymentBatchState.DRAFT)
    transition(batch, to=PaymentBatchState.SUBMITTED, by=actor, allowed=TRANSITIONS)
    audit(actor, "login.success", actor)
    otp_login(client, UserFactory(roles=[Role.AUDIT_ADMIN]))
    url = reverse("core:audit-list")
    with translation.override("zh-hans"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"王晓峰（kw_words）将支付批次 #{batch.pk}改为“已提交”" in page
    assert "草稿 → 已提交" in page
    text = " ".join(visible_text(page))
    assert "paymentbatch" not in text and "login" not in text, text
    assert '<option value="paymentbatch.submitted">支付批次改为“已提交”</option>' in page
    assert '<option value="" selected>全部</option>' in page or '<option value="">全部</option>' in page
    only = client.get(url, {"action": "paymentbatch.submitted"}).context["paginator"].count
    group = client.get(url, {"action": "login."}).context["paginator"].count
    target = client.get(url, {"target_type": "subsidies.paymentbatch"}).context["paginator"].count
    everything = client.get(url).context["paginator"].count
    assert (only, target) == (1, 1)
    assert 1 <= group < everything


def test_sort_options_are_chinese_and_translated():
    from experts.filters import NominationFilter

    with translation.override("zh-hans"):
        labels = [str(label) for _v, label in NominationFilter().form.fields["o"].choices]
    assert labels[:5] == ["全部", "提交时间", "提交时间（降序）", "姓名", "姓名（降序）"]
    with translation.override("en"):
        labels = [str(label) for _v, label in NominationFilter().form.fields["o"].choices]
    # The label is chosen when the select is drawn, in the reader's language (not once at import).
    assert labels[3] == "Name", labels


@pytest.mark.django_db
def test_a_form_select_offers_please_choose_not_dashes():
    from enterprises.forms import EnterpriseRegisterForm

    with translation.override("zh-hans"):
        html = str(EnterpriseRegisterForm())
    assert "---------" not in html
    assert ">请选择</option>" in html
