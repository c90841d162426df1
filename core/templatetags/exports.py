"""`{% export_button "app:list-export" %}`: the list's export link carrying the current filter."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

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
