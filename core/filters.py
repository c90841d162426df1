import contextlib

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db.models import Count, Max
from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import dataversion
from .models import AuditEvent


def _valid_ip(value: str) -> None:
    try:
        validate_ipv46_address(value)
    except ValidationError:
        raise ValidationError(_("请输入有效的 IP 地址，例如 10.1.2.3。"), code="invalid") from None


def _action_choices():
    from .audit_labels import action_choices, action_group_choices

    return action_group_choices() + action_choices()


def _target_type_choices():
    from .audit_labels import target_type_choices

    return target_type_choices()


class AuditEventFilter(django_filters.FilterSet):
    # A select of labelled actions (issue 16 item 4); a value ending in "." is a group (every action of
    # one kind of record: "login.", "paymentbatch.").
    action = django_filters.ChoiceFilter(
        label=_("操作"), choices=_action_choices, method="filter_action", empty_label=_("全部")
    )
    actor = django_filters.CharFilter(
        label=_("操作人账号"), field_name="actor__username", lookup_expr="iexact"
    )
    # An address column (inet): "abc" is a form error, not a query the database refuses (a 500).
    ip_address = django_filters.CharFilter(label=_("IP 地址"), validators=[_valid_ip])
    target_type = django_filters.ChoiceFilter(
        label=_("对象类型"), choices=_target_type_choices, empty_label=_("全部")
    )
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

    def filter_action(self, queryset, name, value):
        if not value:
            return queryset
        if value.endswith("."):
            return queryset.filter(action__startswith=value)
        return queryset.filter(action=value)


def _descending(label) -> str:
    return gettext("%(label)s（降序）") % {"label": label}


_descending_lazy = lazy(_descending, str)


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's ordering select in the reader's language (issue 16 item 4): its own labels are
    English ("Updated (descending)") and built once at import, in whichever language was active then.
    `field_labels` may name the field or the parameter; a descending choice reads “姓名（降序）”."""

    def build_choices(self, fields, labels):
        ascending = [(param, labels.get(field, labels.get(param, param))) for field, param in fields.items()]
        descending = [
            (f"-{param}", labels.get(f"-{param}", _descending_lazy(label))) for param, label in ascending
        ]
        return [val for pair in zip(ascending, descending, strict=True) for val in pair]


_OPTIONS: dict = {}


def choices_scope(model) -> str:
    """The data-version scope of a model's filter options: an app registers the models of its selects
    with `dataversion.register(choices_scope(Model), Model)`; others fall back to a COUNT/MAX query."""
    return f"choices:{model._meta.label_lower}"


def _select_options(bound) -> list[tuple[str, str, str]]:
    """(value, <option> html, selected <option> html) of a select field. A model choice field's options
    are built once per process and language, and rebuilt when its rows change (the data version of its
    table, or else count, highest id, last update): a list page does not instantiate and escape the same
    few hundred institutions each time."""
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
    scope = choices_scope(model)
    version = None
    if settings.CACHE_CHOICES and dataversion.is_registered(scope):
        # the data version of the table (one cache read), moved by any write to it (issue 20)
        with contextlib.suppress(Exception):  # the cache is down: count the rows instead
            version = dataversion.version(scope)
    if version is None:
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
