"""AWARDS HOOK — the one place the dashboard and the annual report read the awards app.

The awards app (built separately) exposes `awards.selectors.award_summary(year=None)` returning a list of
{"year", "level", "level_label", "count", "amount"}. Until it exists this returns an empty list and the
dashboard shows "暂无评选数据". Wire-up at merge: nothing to change here if that function exists; the
awards list URL is looked up as `awards:award-list` (AWARDS_LIST_URL_NAME) when it exists."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

AWARDS_LIST_URL_NAME = "awards:award-list"


def award_summary(year: int | None = None) -> list[dict]:
    try:
        from awards.selectors import award_summary as provider
    except ImportError:
        return []
    return list(provider(year=year))


def awards_list_url() -> str:
    try:
        return reverse(AWARDS_LIST_URL_NAME)
    except NoReverseMatch:
        return ""
