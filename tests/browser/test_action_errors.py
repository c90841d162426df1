"""Issue 22 in the browser: a page's action posts to its own view, and input that view refuses comes
back at its field — visible under the field (Bootstrap's invalid-feedback), the field marked, the error
summary above the page focused — with what was typed kept. Here: finance return a batch with a blank
reason, and then with one."""

from __future__ import annotations

import pytest

from accounts.enums import Role
from tests.browser.helpers import alert_text, as_user, assert_accessible, staff, submitted_batch

pytestmark = pytest.mark.browser


def test_a_blank_return_reason_is_shown_at_its_field(session, reference_data):
    from subsidies.models import PaymentBatch

    batch = submitted_batch(staff(Role.COMMISSION, "kw_zhao", "赵科委"), "2026年12月人才生活补贴", payments=1)
    fin = as_user(session, staff(Role.FINANCE, "czj_zhou", "周财政"))
    fin.goto(f"/subsidies/batches/{batch.pk}/")
    fin.fill("#return_form-reason", "   ")  # not empty to the browser, empty to the form
    fin.click("#return-form button")
    fin.wait_for_load_state("load")
    feedback = fin.locator("#return_form-reason_error")
    assert feedback.is_visible() and feedback.inner_text().strip() == "请填写退回原因。"
    assert "is-invalid" in fin.get_attribute("#return_form-reason", "class")
    assert fin.evaluate("document.activeElement.id") == "error-summary"
    assert PaymentBatch.objects.get(pk=batch.pk).state == "submitted"
    fin.fill("#return_form-reason", "金额与清单不符")
    fin.click("#return-form button")
    fin.wait_for_load_state("load")
    assert PaymentBatch.objects.get(pk=batch.pk).state == "draft", alert_text(fin)
    assert_accessible(session)
