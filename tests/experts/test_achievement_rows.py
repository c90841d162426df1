"""Issue 16 item 9: the achievements rows grow with 增加一行 (static JS, or without JavaScript a submit
button that returns the form with one more row and saves nothing); blank rows are not required."""

from __future__ import annotations

import pytest
from django.urls import reverse

from experts.models import Expert, Nomination
from tests.experts.test_views import form_post
from tests.factories.accounts import otp_login
from tests.factories.experts import InstitutionFactory, nominator

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return nominator(InstitutionFactory(name="甲大学"))


def _rows_html(page: str) -> str:
    start = page.index('id="achievement-rows"')
    return page[start : page.index("</table>", start)]


def test_form_starts_with_one_row_that_is_not_required(client, member):
    otp_login(client, member)
    page = client.get(reverse("experts:nomination-create")).content.decode()
    assert 'name="ach-TOTAL_FORMS" value="1"' in page
    rows = _rows_html(page)
    assert "asteriskField" not in rows and " required" not in rows
    assert "增加一行" in page and 'name="add_row"' in page and 'id="ach-empty-row"' in page
    assert "js/formset_rows.js" in page and "<script>" not in page


def test_add_row_without_javascript_keeps_everything_and_saves_nothing(client, member):
    otp_login(client, member)
    data = form_post(name="王加行", **{"add_row": "1"})
    response = client.post(reverse("experts:nomination-create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="ach-TOTAL_FORMS" value="2"' in page
    assert 'value="王加行"' in page and 'value="一种固态电解质"' in page
    assert 'name="ach-1-title"' in page
    assert "invalid-feedback" not in page and "请按提示修改" not in page
    assert not Expert.objects.filter(name="王加行").exists()


def test_blank_rows_are_ignored_and_a_started_row_needs_its_title(client, member):
    otp_login(client, member)
    extra_blank = {"ach-TOTAL_FORMS": "2", **{f"ach-1-{k}": "" for k in ("kind", "title", "year", "detail")}}
    response = client.post(reverse("experts:nomination-create"), form_post(name="赵空行", **extra_blank))
    assert response.status_code == 302
    assert Expert.objects.get(name="赵空行").achievements.count() == 1
    started = {**extra_blank, "ach-1-year": "2021"}
    data = form_post(name="钱半行", id_number="", **started)
    response = client.post(reverse("experts:nomination-create"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "请填写成果名称" in page and "请选择成果类别" in page
    assert not Nomination.objects.filter(expert__name="钱半行").exists()
