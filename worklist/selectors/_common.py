"""What every role's work list is built from: the number of items shown per kind of task, one query per group
(the first items with the total count from a window function), dates, links and amounts as the items show
them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db.models import Count, QuerySet, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.money import quantize_cny
from core.navigation import WorkGroup, WorkItem

from ..policy import time_limit

#: items shown per kind of task; the count links to the list with all of them
LIMIT = 5


def _local(moment):
    return timezone.localdate(moment) if moment is not None else None


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _yuan(amount) -> str:
    """ "300,000.00 元" (amounts in 元 with thousands separators)."""
    return _("%(amount)s 元") % {"amount": f"{quantize_cny(amount):,.2f}"}


def _group(
    kind: str,
    label: str,
    list_url: str,
    queryset: QuerySet,
    item: Callable[[object], WorkItem],
    order: Iterable[str],
) -> WorkGroup | None:
    """One query: the first LIMIT rows in `order`, each carrying the total count of the queryset."""
    rows = list(queryset.annotate(worklist_total=Window(expression=Count("pk"))).order_by(*order)[:LIMIT])
    if not rows:
        return None
    return WorkGroup(
        kind=kind, label=label, count=rows[0].worklist_total, url=list_url, items=tuple(item(r) for r in rows)
    )


def _keep(*groups) -> list[WorkGroup]:
    return [g for g in groups if g is not None]


def _tasks(
    kind: str,
    label: str,
    list_url: str,
    queryset: QuerySet,
    order: str | tuple[str, ...],
    *,
    subject: Callable[[object], str],
    action: str | Callable[[object], str],
    url: str | Callable[[object], str],
    deadline: Callable[[object], object] | None = None,
    note: Callable[[object], str] | None = None,
    remind_url: Callable[[object], str] | None = None,
) -> WorkGroup | None:
    """`_group` with each item built from functions of the row (`action` and `url` may be one text for all).
    `order` is one field (then pk) or the whole ordering; the deadline is by default the time limit of
    `kind` counted from the row's first ordering field (its local date; today where it is empty)."""
    if isinstance(order, str):
        order = (order, "pk")
    if deadline is None:
        today = timezone.localdate()

        def deadline(row):
            start = getattr(row, order[0])
            return time_limit(kind, (_local(start) if isinstance(start, datetime) else start) or today)

    def item(row) -> WorkItem:
        return WorkItem(
            subject=subject(row),
            action=action(row) if callable(action) else action,
            url=url(row) if callable(url) else url,
            deadline=deadline(row),
            note=note(row) if note else "",
            remind_url=remind_url(row) if remind_url else "",
        )

    return _group(kind, label, list_url, queryset, item, order)
