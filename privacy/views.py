"""The expert's own personal information: the notice, the consent records, a confirmation, a download."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.enums import Role
from core.http import client_ip
from core.views import RoleRequiredMixin

from . import notice, services
from .models import ConsentKind, ConsentRecord


def _own_expert(user):
    expert = services.expert_model().objects.filter(user=user).first()
    if expert is None:
        raise Http404
    return expert


class MyDataView(RoleRequiredMixin, TemplateView):
    roles = frozenset({Role.EXPERT})
    template_name = "privacy/my_data.html"

    def get_context_data(self, **kwargs):
        expert = _own_expert(self.request.user)
        return {
            **super().get_context_data(**kwargs),
            "expert": expert,
            "notice": notice,
            "consents": ConsentRecord.objects.filter(expert=expert).select_related("given_by"),
            "confirmed": services.has_current_consent(expert, ConsentKind.EXPERT),
        }

    def post(self, request):
        expert = _own_expert(request.user)
        if not services.has_current_consent(expert, ConsentKind.EXPERT):
            services.consent_record(
                expert=expert, kind=ConsentKind.EXPERT, by=request.user, ip_address=client_ip(request)
            )
        messages.success(request, _("已记录您对个人信息处理告知书的确认。"))
        return redirect("privacy:my-data")


class MyDataDownloadView(RoleRequiredMixin, TemplateView):
    roles = frozenset({Role.EXPERT})

    def get(self, request):
        expert = _own_expert(request.user)
        data = services.personal_data_export(expert=expert, by=request.user, ip_address=client_ip(request))
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        name = f"personal-data-{timezone.localdate():%Y%m%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
