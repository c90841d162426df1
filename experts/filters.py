from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import OrderingFilter

from .enums import Degree, EligibilityResult, InstitutionKind, NominationState, TitleLevel
from .models import Discipline, Institution, Nomination
from .selectors import institution_kind_q


class NominationFilter(django_filters.FilterSet):
    """The staff queue (and the institution's own list)."""

    institution = django_filters.ModelChoiceFilter(queryset=Institution.objects.all(), label=_("推荐单位"))
    institution_kind = django_filters.ChoiceFilter(
        choices=InstitutionKind.choices, label=_("单位类别"), method="filter_kind"
    )
    discipline = django_filters.ModelChoiceFilter(
        field_name="expert__discipline", queryset=Discipline.objects.all(), label=_("学科")
    )
    eligibility = django_filters.ChoiceFilter(
        choices=[c for c in EligibilityResult.choices if c[0]], label=_("资格审查结果")
    )
    state = django_filters.ChoiceFilter(choices=NominationState.choices, label=_("状态"))
    submitted_from = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__gte",
        label=_("提交日期自"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    submitted_to = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__lte",
        label=_("提交日期至"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    o = OrderingFilter(
        fields=(
            ("submitted_at", "submitted"),
            ("expert__name", "name"),
            ("institution__name", "institution"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "submitted": _("提交时间"),
            "name": _("姓名"),
            "institution": _("推荐单位"),
            "updated": _("更新时间"),
        },
        label=_("排序"),
    )

    class Meta:
        model = Nomination
        fields = []

    def filter_kind(self, queryset, name, value):
        return queryset.filter(institution_kind_q(value, "institution__")) if value else queryset


class PoolFilter(django_filters.FilterSet):
    """Filters of the talent pool; the search `q` is applied by selectors.pool_list."""

    institution = django_filters.ModelChoiceFilter(queryset=Institution.objects.all(), label=_("推荐单位"))
    institution_kind = django_filters.ChoiceFilter(
        choices=InstitutionKind.choices, label=_("单位类别"), method="filter_kind"
    )
    discipline = django_filters.ModelChoiceFilter(queryset=Discipline.objects.all(), label=_("学科"))
    degree = django_filters.ChoiceFilter(choices=Degree.choices, label=_("学位"))
    title_level = django_filters.ChoiceFilter(choices=TitleLevel.choices, label=_("职称级别"))
    o = OrderingFilter(
        fields=(("name", "name"), ("admitted_at", "admitted"), ("institution__name", "institution")),
        field_labels={"name": _("姓名"), "admitted": _("入库时间"), "institution": _("推荐单位")},
        label=_("排序"),
    )

    class Meta:
        model = Nomination.expert.field.related_model
        fields = []

    def filter_kind(self, queryset, name, value):
        return queryset.filter(institution_kind_q(value, "institution__")) if value else queryset
