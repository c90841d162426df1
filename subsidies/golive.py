"""The deployment's go-live date (SPEC §5): what the portal pays starts there.

Allowance months whose last day is before it, and project-subsidy instalments due before it, were
settled outside the portal before it went live: they are recorded (`settled_outside`) for the histories
and the annual report, and never fall due, never get a Payment, never go into a batch. The date is the
setting KJFZ_GO_LIVE_DATE (config/settings.py, from the environment); None means no cut-over.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings


def go_live_date() -> date | None:
    value = getattr(settings, "KJFZ_GO_LIVE_DATE", None)
    if isinstance(value, str):
        value = date.fromisoformat(value) if value else None
    return value


def demo_go_live_date(today: date) -> date:
    """The demo's go-live date (`make run`, DEBUG without KJFZ_GO_LIVE_DATE): 1 January of this year,
    as config/settings.py computes it — the demo's paper-era terms (ended before this year) and their
    subsidies are all settled outside the portal."""
    return date(today.year, 1, 1)
