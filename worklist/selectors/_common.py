"""What every role's work list is built from: the number of items shown per kind of task, one query per group
(the first items with the total count from a window function), dates, links and amounts as the items show
them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Count, QuerySet, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.money import quantize_cny
from core.navigation import WorkGroup, WorkItem

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
