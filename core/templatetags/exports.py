"""`{% export_button "app:list-export" %}`: the list's export link carrying the current filter."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

register = template.Library()


@register.simple_tag(takes_context=True)
def export_button(context, url_name: str, *args):
    request = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    url = reverse(url_name, args=args) + (f"?{query}" if query else "")
    return format_html(
        '<a class="btn btn-sm btn-outline-success export-link" href="{}">'
        '<i class="bi bi-file-earmark-excel"></i> {}</a>',
        url,
        _("导出 Excel（当前筛选结果）"),
    )


KEPT_LABELS = {"year": _lazy("年度"), "round": _lazy("评审批次编号"), "industry": _lazy("行业")}


@register.simple_tag(takes_context=True)
def kept_filters(context, *names):
    """Filters a list receives from a link (the dashboard's) but has no field for: kept as hidden inputs
    when the list's own form is submitted, and shown as a badge with a link that removes them."""
    request = context["request"]
    parts = []
    for name in names:
        value = request.GET.get(name, "")
        if not value:
            continue
        rest = request.GET.copy()
        rest.pop(name, None)
        rest.pop("page", None)
        parts.append(
            format_html(
                '<input type="hidden" name="{}" value="{}">'
                '<span class="badge text-bg-info me-1 kept-filter">{}：{} <a class="text-reset" href="?{}" '
                'title="{}">×</a></span>',
                name,
                value,
                KEPT_LABELS.get(name, name),
                value,
                rest.urlencode(),
                _("清除此筛选"),
            )
        )
    if not parts:
        return ""
    return format_html('<div class="col-12">{}</div>', format_html_join("", "{}", ((p,) for p in parts)))
