"""Issue 16 item 7 in the browser: on a 390-px phone a list's filters are folded under 筛选, its rows are
cards and nothing scrolls sideways; the 161-institution select is a type-ahead (a datalist, no CDN, under
the CSP) that filters the list; dates do not wrap; at 1366 px the filters are open and the table a table."""

from __future__ import annotations

import pytest

from accounts.enums import Role
from experts.models import Institution
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import as_user, staff
from tests.factories import projects as pf

pytestmark = pytest.mark.browser


def _pool(n=3):
    """`n` experts in the pool, each of another institution, admitted on a date (the date column)."""
    from django.utils import timezone

    experts = [pf.expert() for _ in range(n)]
    for e in experts:
        e.in_pool, e.admitted_at = True, timezone.now()
        e.save(update_fields=["in_pool", "admitted_at"])
    return experts


def test_a_list_on_a_phone_and_on_a_desktop(session):
    experts = _pool()
    assert Institution.objects.count() > 100  # the reference data's institutions
    target = experts[0].institution
    user = staff(Role.COMMISSION, "kw_lists", "王列表")
    phone = as_user(session, user, viewport=PHONE)
    phone.goto("/experts/pool/")
    assert phone.locator("[data-result-count]").get_attribute("data-result-count") == "3"
    details = phone.locator("details.list-filters")
    assert details.get_attribute("open") is None  # folded on a phone
    phone.click("details.list-filters > summary")
    assert details.get_attribute("open") is not None
    # the type-ahead replaces the institution select (which stays in the form, hidden)
    typeahead = phone.locator("#id_institution-typeahead")
    assert typeahead.is_visible() and not phone.locator("select#id_institution").is_visible()
    assert phone.locator("label[for=id_institution-typeahead]").inner_text().strip() == "推荐单位"
    options = phone.locator("#id_institution-typeahead-options option").count()
    assert options == Institution.objects.count()
    typeahead.fill(target.name)
    assert phone.eval_on_selector("select#id_institution", "s => s.value") == str(target.pk)
    phone.click("details.list-filters button.btn-primary")
    phone.wait_for_load_state("load")
    assert f"institution={target.pk}" in phone.url
    assert phone.locator("[data-result-count]").get_attribute("data-result-count") == "1"
    assert phone.locator("#id_institution-typeahead").input_value() == target.name
    # rows as cards, each cell with its column's heading; nothing wider than the phone
    row = phone.locator("#pool-table tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert row.locator("td").first.get_attribute("data-label") == "姓名"
    overflow = phone.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow
    date = row.locator("td.date")
    assert date.evaluate("td => getComputedStyle(td).whiteSpace") == "nowrap"

    desktop = as_user(session, user, viewport=DESKTOP)
    desktop.goto("/experts/pool/?o=-name")
    assert desktop.locator("details.list-filters").get_attribute("open") is not None
    assert not desktop.locator("details.list-filters > summary").is_visible()
    assert desktop.locator("#pool-table tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == (
        "table-row"
    )
    # sorted down by name, the header says so and links to the other direction
    names = desktop.locator("#pool-table tbody tr td:first-child").all_inner_texts()
    assert names == sorted(names, reverse=True)
    header = desktop.locator("th[aria-sort]")
    assert header.get_attribute("aria-sort") == "descending"
    header.locator("a").click()
    desktop.wait_for_load_state("load")
    assert "o=name" in desktop.url
    names = desktop.locator("#pool-table tbody tr td:first-child").all_inner_texts()
    assert names == sorted(names)
    assert not session.problems, session.problems
