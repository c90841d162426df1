import django_filters
from django import forms
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
