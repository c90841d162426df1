import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db.models import Count, Max
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


def _valid_ip(value: str) -> None:
    try:
        validate_ipv46_address(value)
    except ValidationError:
        raise ValidationError(_("请输入有效的 IP 地址，例如 10.1.2.3。"), code="invalid") from None


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(label=_("操作"), lookup_expr="startswith")
    actor = django_filters.CharFilter(
        label=_("操作人账号"), field_name="actor__username", lookup_expr="iexact"
    )
    # An address column (inet): "abc" is a form error, not a query the database refuses (a 500).
    ip_address = django_filters.CharFilter(label=_("IP 地址"), validators=[_valid_ip])
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


_OPTIONS: dict = {}


def _select_options(bound) -> list[tuple[str, str, str]]:
    """(value, <option> html, selected <option> html) of a select field. A model choice field's options
    are built once per process and language, and rebuilt when its rows change (count, highest id, last
    update): a list page does not instantiate and escape the same few hundred institutions each time."""
    field = bound.field

    def build():
        out = []
        for choice_value, choice_label in field.choices:
            v = "" if choice_value is None else str(choice_value)
            out.append((v, format_html('<option value="{}">{}</option>', v, choice_label),
                        format_html('<option value="{}" selected>{}</option>', v, choice_label)))
        return out

    queryset = getattr(field, "queryset", None)
    if queryset is None:
        return build()
    model = queryset.model
    aggregates = {"n": Count("pk"), "m": Max("pk")}
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        aggregates["u"] = Max("updated_at")
    version = tuple(queryset.order_by().aggregate(**aggregates).values())
    key = (model._meta.label, str(queryset.query), translation.get_language(), str(field.empty_label))
    hit = _OPTIONS.get(key)
    if hit is None or hit[0] != version:
        hit = _OPTIONS[key] = (version, build())
    return hit[1]


def fast_fields(form) -> list[dict]:
    """The fields of a filter form as plain data for `core/partials/_filter_fields.html`, which renders
    each select as prepared <option> html: Django's widget templates render every <option> through its
    own template, which costs more than the whole query of a list page with a few hundred choices
    (institutions, disciplines)."""
    fields = []
    for bound in form:
        widget = bound.field.widget
        value = bound.value()
        entry = {"name": bound.html_name, "id": bound.id_for_label, "label": bound.label, "kind": "other",
                 "bound": bound}
        if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
            current = "" if value is None else str(value)
            html = "".join(on if v == current else off for v, off, on in _select_options(bound))
            # Each piece came from format_html (values and labels escaped); joining keeps them safe.
            entry.update(kind="select", options=mark_safe(html))  # nosec B308 B703
        elif isinstance(widget, forms.DateInput):
            entry.update(kind="date", value="" if value is None else str(value))
        fields.append(entry)
    return fields
