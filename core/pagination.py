"""Keyset ("seek") pagination for the big staff lists, and a capped count (issue 11).

OFFSET paging reads and throws away every row before the page, so page 1,000 of the talent pool costs
20,000 rows; a keyset page starts from the last row shown — `WHERE (name, id) > (…)` served by the
composite index of the sort — and costs the same on page 1,000 as on page 1.

    page = keyset_page(queryset, ordering=("name", "id"), params=request.GET, per_page=20)
    page.object_list, page.number, page.has_next, page.next_params, page.previous_params, page.count

- The sort is a column (or a related column) plus the primary key as tie-breaker; "-name" sorts down.
- `after=<cursor>` gives the page after a row, `before=<cursor>` the page before it; the cursor is the
  boundary row's sort values, url-safe base64 of JSON. `page=<n>` carries the page number shown.
- A plain `?page=n` without a cursor (an old bookmark) still works, through OFFSET.
- The total is counted up to `COUNT_CAP` rows (an index-only scan of at most that many entries): past
  it, the page says "more than 10,000" rather than scanning a province's pool on every request.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet, Window
from django.utils.dateparse import parse_date, parse_datetime

COUNT_CAP = 10_000


def encode_cursor(values: tuple) -> str:
    def plain(v):
        if isinstance(v, datetime):
            return {"dt": v.isoformat()}
        if isinstance(v, date):
            return {"d": v.isoformat()}
        return v

    raw = json.dumps([plain(v) for v in values], ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, size: int) -> tuple | None:
    """The values of a cursor, or None for anything malformed (the list then starts at page 1)."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw)
    except (ValueError, TypeError):
        return None
    if not isinstance(values, list) or len(values) != size:
        return None
    out = []
    for v in values:
        if isinstance(v, dict) and "dt" in v:
            v = parse_datetime(str(v["dt"]))
        elif isinstance(v, dict) and "d" in v:
            v = parse_date(str(v["d"]))
        elif not isinstance(v, (str, int, float)) or isinstance(v, bool):
            return None
        if v is None:
            return None
        out.append(v)
    return tuple(out)


def _seek(ordering: tuple[str, ...], values: tuple, *, forward: bool) -> Q:
    """Rows strictly after (`forward`) or before `values` in `ordering`, written so that PostgreSQL can
    seek the composite index: `k >= v AND (k > v OR id > i)` (the first term is an index bound)."""
    key, tie = ordering
    key_field, key_desc = key.lstrip("-"), key.startswith("-")
    tie_field, tie_desc = tie.lstrip("-"), tie.startswith("-")
    up_key = forward != key_desc
    up_tie = forward != tie_desc
    bound = Q(**{f"{key_field}__{'gte' if up_key else 'lte'}": values[0]})
    strictly = Q(**{f"{key_field}__{'gt' if up_key else 'lt'}": values[0]}) | Q(
        **{f"{tie_field}__{'gt' if up_tie else 'lt'}": values[1]}
    )
    return bound & strictly


def _reverse(ordering: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(o[1:] if o.startswith("-") else f"-{o}" for o in ordering)


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, exact): the number of rows up to `cap`; `exact` is False when there are more."""
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return (min(n, cap), n <= cap)


@dataclass
class KeysetPage:
    object_list: list
    number: int
    per_page: int
    has_next: bool
    has_previous: bool
    count: int
    count_exact: bool
    next_params: str = ""
    previous_params: str = ""
    extra: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def num_pages(self) -> int | None:
        if not self.count_exact:
            return None
        return max(1, -(-self.count // self.per_page))


def _values(obj, ordering: tuple[str, ...]) -> tuple:
    out = []
    for o in ordering:
        value = obj
        for part in o.lstrip("-").split("__"):
            value = getattr(value, part)
        out.append(value)
    return tuple(out)


def keyset_page(queryset: QuerySet, *, ordering: tuple[str, str], params, per_page: int,
                count_in_page: bool = False) -> KeysetPage:
    """One page of `queryset` sorted by `ordering` (a key and the tie-breaker), from request `params`.

    `count_in_page`: for an ordering no index serves (a search's relevance), where the database sorts
    every matching row anyway, the first page carries the exact count (a window over the same rows)
    instead of a second scan for it."""
    base = params.copy()
    for name in ("after", "before", "page"):
        base.pop(name, None)
    try:
        number = max(1, int(params.get("page", 1)))
    except (TypeError, ValueError):
        number = 1
    after = decode_cursor(params.get("after", ""), 2) if params.get("after") else None
    before = decode_cursor(params.get("before", ""), 2) if params.get("before") else None
    ordered = queryset.order_by(*ordering)

    if before is not None:
        rows = list(
            queryset.filter(_seek(ordering, before, forward=False)).order_by(*_reverse(ordering))[
                : per_page + 1
            ]
        )
        has_previous = len(rows) > per_page
        rows = rows[:per_page][::-1]
        has_next = True
        number = max(1, number) if has_previous else 1
    else:
        if after is not None:
            rows = list(ordered.filter(_seek(ordering, after, forward=True))[: per_page + 1])
            has_previous = True
        elif number > 1:  # an old ?page=n link: OFFSET, correct if not fast
            start = (number - 1) * per_page
            rows = list(ordered[start : start + per_page + 1])
            has_previous = True
        elif count_in_page:
            rows = list(ordered.annotate(_keyset_total=Window(Count("*")))[: per_page + 1])
            has_previous = False
        else:
            rows = list(ordered[: per_page + 1])
            has_previous = False
        has_next = len(rows) > per_page
        rows = rows[:per_page]
        if not rows and number > 1:
            has_previous = True
    if count_in_page and before is None and after is None and number == 1:
        count, exact = (rows[0]._keyset_total if rows else 0), True
    else:
        count, exact = capped_count(queryset)
    page = KeysetPage(rows, number, per_page, has_next, has_previous, count, exact)
    if rows and has_next:
        q = base.copy()
        q["after"] = encode_cursor(_values(rows[-1], ordering))
        q["page"] = str(number + 1)
        page.next_params = q.urlencode()
    if has_previous:
        q = base.copy()
        if rows and number > 2:
            q["before"] = encode_cursor(_values(rows[0], ordering))
            q["page"] = str(number - 1)
        page.previous_params = q.urlencode()
    return page
