"""The role-aware pages of the `core` URL namespace: the landing pages (`core:home`, `core:role-home`) and
the audit log (`core:audit-list`, `core:audit-export`). Core knows no role, so they live here; config/urls.py
serves them under the `core` namespace beside core's own pages (accounts/core_urls.py)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView, View

from core.audit import audit
from core.exports import xlsx_bytes
from core.filters import AuditEventFilter
from core.http import client_ip
from core.models import AuditEvent
from core.navigation import panels_for, worklist_for
from core.views import RoleRequiredMixin, notifications_with_tasks

from .enums import Role


class HomeView(LoginRequiredMixin, View):
    """Send a user to the landing page of their first role."""

    def get(self, request):
        role = request.user.primary_role
        if role is None:
            return TemplateView.as_view(template_name="core/no_role.html")(request)
        return redirect(reverse("core:role-home", args=[role]))


class RoleHomeView(LoginRequiredMixin, TemplateView):
    """The landing page of one role the user holds; a role they do not hold is a 404."""

    template_name = "core/role_home.html"

    def get_context_data(self, **kwargs):
        role = kwargs["role"]
        if role not in Role.values or not self.request.user.has_role(role):
            raise Http404
        ctx = super().get_context_data(**kwargs)
        ctx["role"] = Role(role)
        ctx["panels"] = panels_for(self.request.user, role)
        ctx["worklist"] = worklist_for(self.request.user, role)
        ctx["worklist_total"] = sum(g.count for g in ctx["worklist"] if not g.figure)
        ctx["today"] = timezone.localdate()
        ctx["recent_notifications"] = notifications_with_tasks(self.request.user, limit=5)
        return ctx


class AuditEventListView(RoleRequiredMixin, ListView):
    """The audit log, for the audit administrator only (三员分立): filters and a spreadsheet export."""

    roles = frozenset({Role.AUDIT_ADMIN})
    template_name = "core/audit_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_filter(self):
        return AuditEventFilter(self.request.GET, queryset=AuditEvent.objects.select_related("actor"))

    def get_queryset(self):
        self.filterset = self.get_filter()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(filter=self.filterset, query_string=query.urlencode(), **kwargs)


class AuditEventExportView(RoleRequiredMixin, View):
    """The filtered audit log as .xlsx (at most EXPORT_LIMIT rows); the export itself is audited."""

    roles = frozenset({Role.AUDIT_ADMIN})
    EXPORT_LIMIT = 50_000

    def get(self, request):
        filterset = AuditEventFilter(request.GET, queryset=AuditEvent.objects.select_related("actor"))
        events = list(filterset.qs[: self.EXPORT_LIMIT])
        header = [
            _("时间"),
            _("操作人"),
            _("操作"),
            _("对象类型"),
            _("对象编号"),
            _("摘要"),
            _("IP 地址"),
            _("结果"),
        ]
        rows = (
            [
                timezone.localtime(e.created_at).isoformat(timespec="seconds"),
                e.actor.username if e.actor else "",
                e.action,
                e.target_type,
                e.target_id,
                e.summary,
                e.ip_address or "",
                "failure" if e.action.endswith(("failure", "denied", "lockout")) else "success",
            ]
            for e in events
        )
        content = xlsx_bytes("audit", header, rows)
        audit(
            request.user,
            "audit.export",
            summary=request.GET.urlencode()[:300],
            data={"rows": len(events), "filters": request.GET.dict()},
            ip_address=client_ip(request),
        )
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
        return response
