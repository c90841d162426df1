"""Sortable lists (issue 16 item 7): `?o=<key>` sorts a list up, `?o=-<key>` down, by one of the columns
the view names; anything else falls back to the view's default. The template's headers are links made by
`{% sort_th %}` (core.templatetags.lists)."""

from __future__ import annotations

from django.db.models import F, QuerySet


def sort_queryset(params, queryset: QuerySet, fields: dict[str, str | tuple], default: str = "") -> tuple:
    """(sorted queryset, the sort applied): `fields` maps a key to a column or columns; the primary
    key breaks ties so that pages do not overlap. Empty values sort last either way. Without `?o=` and
    without a default the queryset keeps its own order."""
    key = params.get("o", "") or default
    name = key.removeprefix("-")
    if name not in fields:
        key, name = default, default.removeprefix("-")
    if not key:  # no sort asked for and no default: the selector's own order
        return queryset, ""
    columns = fields[name] if isinstance(fields[name], tuple) else (fields[name],)
    down = key.startswith("-")
    order = [F(c).desc(nulls_last=True) if down else F(c).asc(nulls_last=True) for c in columns]
    order.append("-pk" if down else "pk")
    return queryset.order_by(*order), key
