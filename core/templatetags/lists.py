"""List page helpers (issue 16 item 7): `{% result_count %}` — how many rows the list holds;
`{% sort_th "name" _("姓名") %}` — a column header that sorts the list (up, then down) keeping the
filters, with `aria-sort` on the sorted column."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

# Pagination parameters dropped when the sort changes (the list starts again at its first page).
_PAGING = ("page", "after", "before", "o")


@register.simple_tag(takes_context=True)
def result_count(context, rows=None) -> str:
    """“共 35 条”: the paginator's count, a keyset page's (capped) count, or the length of `rows`."""
    page = context.get("page_obj")
    exact = True
    if page is not None and hasattr(page, "count_exact"):
        n, exact = page.count, page.count_exact
    elif page is not None and getattr(page, "paginator", None) is not None:
        n = page.paginator.count
    elif rows is not None:
        n = len(rows)
    else:
        n = len(context.get("object_list") or [])
    text = _("共 %(n)s 条") % {"n": f"{n:,}"} if exact else _("超过 %(n)s 条") % {"n": f"{n:,}"}
    return format_html('<p class="result-count small text-muted" data-result-count="{}">{}</p>', n, text)


@register.simple_tag(takes_context=True)
def sort_th(context, key: str, label, css: str = "") -> str:
    """A <th> whose label is a link sorting by `key`: up first, down when already sorted up."""
    request = context["request"]
    current = context.get("sort") or request.GET.get("o", "")
    params = request.GET.copy()
    for p in _PAGING:
        params.pop(p, None)
    if current == key:
        params["o"], state, mark = f"-{key}", "ascending", "bi-sort-up"
    elif current == f"-{key}":
        params["o"], state, mark = key, "descending", "bi-sort-down"
    else:
        params["o"], state, mark = key, "", "bi-arrow-down-up text-muted"
    title = _("按%(label)s排序") % {"label": label}
    link = format_html(
        '<a class="sort-link" href="?{}" title="{}">{} <i class="bi {}" aria-hidden="true"></i></a>',
        params.urlencode(),
        title,
        label,
        mark,
    )
    if state:
        return format_html('<th scope="col" class="{}" aria-sort="{}">{}</th>', css, state, link)
    return format_html('<th scope="col" class="{}">{}</th>', css, link)
