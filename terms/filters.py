import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Industry
from experts.models import Institution
from projects.enums import AppointmentState

from .selectors import appointments_ending_within


class AppointmentFilter(django_filters.FilterSet):
    """The staff filters of the appointment list; the queryset comes from `selectors.appointment_list`."""

    state = django_filters.ChoiceFilter(label=_("状态"), choices=AppointmentState.choices)
    enterprise = django_filters.ModelChoiceFilter(
        label=_("合作企业"), queryset=Enterprise.objects.order_by("name")
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("推荐单位"), field_name="expert__institution", queryset=Institution.objects.order_by("name")
    )
    industry = django_filters.ModelChoiceFilter(
        label=_("所属行业"), field_name="enterprise__industry", queryset=Industry.objects.all()
    )
    ending_within = django_filters.NumberFilter(
        label=_("N天内届满"),
        method="filter_ending_within",
        min_value=0,
        max_value=3650,
        widget=forms.NumberInput(attrs={"min": 0, "max": 3650, "placeholder": "90"}),
    )

    def __init__(self, *args, as_of=None, **kwargs):
        self.as_of = as_of
        super().__init__(*args, **kwargs)

    def filter_ending_within(self, queryset, name, value):
        if value is None or not 0 <= value <= 3650:
            return queryset
        return appointments_ending_within(queryset, days=int(value), as_of=self.as_of)
