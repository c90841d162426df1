import django_filters
from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(label=_("操作"), lookup_expr="startswith")
    actor = django_filters.CharFilter(
        label=_("操作人账号"), field_name="actor__username", lookup_expr="iexact"
    )
    ip_address = django_filters.CharFilter(label=_("IP 地址"))
    target_type = django_filters.CharFilter(label=_("对象类型"))
    target_id = django_filters.CharFilter(label=_("对象编号"))
    since = django_filters.DateFilter(
        label=_("起始日期"), field_name="created_at", lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("截止日期"), field_name="created_at", lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "ip_address", "target_type", "target_id", "since", "until"]


SELECTED = mark_safe(" selected")


def fast_fields(form) -> list[dict]:
    """The fields of a filter form as plain data for `core/partials/_filter_fields.html`, which renders
    each select as one template loop: Django's widget templates render every <option> through its own
    template, which costs more than the whole query of a list page with a few hundred choices
    (institutions, disciplines)."""
    fields = []
    for bound in form:
        widget = bound.field.widget
        value = bound.value()
        entry = {"name": bound.html_name, "id": bound.id_for_label, "label": bound.label, "kind": "other",
                 "bound": bound}
        if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
            current = "" if value is None else str(value)
            options = []
            for choice_value, choice_label in bound.field.choices:
                v = "" if choice_value is None else str(choice_value)
                options.append((v, SELECTED if v == current else "", choice_label))
            entry.update(kind="select", options=format_html_join("", '<option value="{}"{}>{}</option>', options))
        elif isinstance(widget, forms.DateInput):
            entry.update(kind="date", value="" if value is None else str(value))
        fields.append(entry)
    return fields
