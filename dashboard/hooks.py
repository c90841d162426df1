"""AWARDS HOOK — the one place the dashboard and the annual report read the awards app.

The awards app (built separately) exposes `awards.selectors.award_summary(year=None)` returning a list of
{"year", "level", "level_label", "count", "amount"}. Until it exists this returns an empty list and the
dashboard shows no rows. Wire-up at merge: nothing to change here if that function exists; the awards
list the chart links to is the first of AWARDS_LIST_URL_NAMES that exists (the awards app's index lists
its cycles by year)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

AWARDS_LIST_URL_NAMES = ("awards:award-list", "awards:index")


def award_summary(year: int | None = None) -> list[dict]:
    try:
        from awards.selectors import award_summary as provider
    except ImportError:
        return []
    return list(provider(year=year))


def awards_list_url() -> str:
    for name in AWARDS_LIST_URL_NAMES:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""
