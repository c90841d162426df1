"""Markup that accessibility depends on, checked without a browser (issue 16 item 11): the error summary
after a failed submit, accessible names of fields in table rows, charts whose bars are links, the skip
link and the bell's name. tests/browser runs axe-core over the rendered pages."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template import Context, Template

from dashboard.charts import Bar, Chart, bar_svg
from experts.forms import AchievementFormSet
from terms.forms import IndicatorResultFormSet


class PhoneForm(forms.Form):
    name = forms.CharField(label="姓名")
    phone = forms.CharField(label="手机号码", max_length=11)

    def clean(self):
        raise forms.ValidationError("整体校验失败")


SUMMARY = Template("{% load a11y %}{% error_summary %}")


def test_error_summary_lists_every_error_with_a_link_to_its_field():
    form = PhoneForm({"name": "", "phone": "1" * 12})
    html = SUMMARY.render(Context({"form": form, "same_form_again": form}))
    assert 'id="error-summary"' in html and 'tabindex="-1"' in html and "autofocus" in html
    assert "有 3 处需要修改" in html  # the form counts once although the context holds it twice
    assert 'href="#id_name"' in html and "姓名：" in html
    assert 'href="#id_phone"' in html and "手机号码：" in html
    assert "整体校验失败" in html


@pytest.mark.parametrize(
    "context",
    [
        {"form": PhoneForm()},  # not submitted
        {"form": PhoneForm.__base__({"x": "1"})},  # a bound form without fields or errors
        {},
    ],
)
def test_no_error_summary_without_errors(context):
    assert SUMMARY.render(Context(context)).strip() == ""


def test_error_summary_covers_formset_rows():
    formset = IndicatorResultFormSet(
        {
            "results-TOTAL_FORMS": "2",
            "results-INITIAL_FORMS": "0",
            "results-0-indicator": "新增专利 2 项",
            "results-0-achieved": "",
        },
        prefix="results",
    )
    html = SUMMARY.render(Context({"formset": formset}))
    assert 'href="#id_results-0-achieved"' in html and "请填写该指标的完成情况" in html


def test_table_row_fields_are_named_by_column_and_row():
    indicators = IndicatorResultFormSet(prefix="results", initial=[{"indicator": "a"}, {"indicator": "b"}])
    second = indicators.forms[1]
    assert second.fields["achieved"].widget.attrs["aria-label"] == "完成情况（第 2 行）"
    assert 'aria-label="已达成（第 2 行）"' in str(second["met"])
    achievements = AchievementFormSet(prefix="ach")  # one blank row; 增加一行 adds the next
    assert 'aria-label="删除（第 1 行）"' in str(achievements.forms[0]["DELETE"])
    assert 'aria-label="名称（第 1 行）"' in str(achievements.forms[0]["title"])
    assert "aria-label" not in str(achievements.forms[0]["id"])  # hidden fields need no name


def test_a_chart_with_links_is_a_group_of_named_links_not_an_image():
    linked = bar_svg(Chart("按行业", [Bar("生物医药", [3], url="/experts/pool/?industry=bio")]))
    assert 'role="group"' in linked and 'role="img"' not in linked
    assert re.search(r'<a href="/experts/pool/\?industry=bio" aria-label="生物医药：3">', linked)
    plain = bar_svg(Chart("按年度", [Bar("2026", [5])], series=[]))
    assert 'role="img"' in plain and 'aria-label="按年度"' in plain


@pytest.mark.django_db
def test_base_template_has_skip_link_main_target_and_a_named_bell(client):
    from tests.factories.accounts import UserFactory

    user = UserFactory(roles=["expert"])
    user.notifications.create(title="新的聘任意向", body="", link="/")
    client.force_login(user)
    html = client.get("/home/", follow=True).content.decode()
    assert html.index('class="skip-link" href="#content"') < html.index("<header")
    assert 'id="content" tabindex="-1"' in html
    bell = re.search(r'<a [^>]*id="notification-bell"[^>]*>', html).group(0)
    assert 'aria-label="通知：1 条未读"' in bell


@pytest.mark.django_db
def test_a_failed_login_shows_the_error_summary(client):
    html = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"}).content.decode()
    assert 'id="error-summary"' in html
