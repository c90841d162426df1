from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView, View

from accounts.enums import Role

from .audit import audit
from .exports import xlsx_bytes
from .filters import AuditEventFilter
from .http import client_ip
from .models import AuditEvent
from .navigation import notification_task_states, panels_for, worklist_for


class RoleRequiredMixin(LoginRequiredMixin):
    """A page for the holders of `roles` only; anyone else gets 403, and the refusal is audited."""

    roles: frozenset[str] = frozenset()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_role(*self.roles):
            audit(request.user, "access.denied", summary=request.path[:300], ip_address=client_ip(request))
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class IndexView(TemplateView):
    """Public front page: what the programme is, and where to log in."""

    template_name = "core/index.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("core:home")
        return super().get(request, *args, **kwargs)


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


def notifications_settle(user) -> None:
    """Mark read the user's unread notifications whose task is done (read as done; the bell drops them)."""
    # only what the task check reads (the recipient too: the related manager sets it on every row)
    unread = list(user.notifications.filter(read_at__isnull=True).only("pk", "link", "recipient_id")[:200])
    states = notification_task_states(user, unread)
    done = [pk for pk, still_open in states.items() if not still_open]
    if done:
        user.notifications.filter(pk__in=done).update(read_at=timezone.now())


def notifications_with_tasks(user, *, limit=None, notes=None) -> list:
    """The notifications, each with `task_open` (True: its task waits; False: done; None: not a task)."""
    if notes is None:
        notifications_settle(user)
        notes = user.notifications.all()[:limit]
    notes = list(notes)
    states = notification_task_states(user, notes)
    for note in notes:
        note.task_open = states.get(note.pk)
    return notes


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "core/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 20

    def get_queryset(self):
        notifications_settle(self.request.user)
        return self.request.user.notifications.all()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["notifications"] = notifications_with_tasks(self.request.user, notes=ctx["notifications"])
        return ctx

    def post(self, request):
        request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("core:notification-list")


class DocumentVerifyView(TemplateView):
    """Public: confirms a document is genuine without showing personal data; unknown token → 404 page."""

    template_name = "core/document_verify.html"

    def get(self, request, *args, **kwargs):
        from .models import IssuedDocument

        document = IssuedDocument.objects.filter(token=kwargs["token"]).first()
        response = self.render_to_response({"document": document, "by_token": True})
        if document is None:
            response.status_code = 404
        return response


class DocumentVerifyUploadView(TemplateView):
    """Public: upload a PDF; says whether its signature is the portal's issuing authority's, whether the
    file is unchanged since issue (signature over the whole file, and the hash the portal stored), and
    which document it is. Nothing is stored."""

    template_name = "core/document_verify_upload.html"
    MAX_BYTES = 20 * 1024 * 1024

    def post(self, request, *args, **kwargs):
        import hashlib

        from .models import IssuedDocument
        from .signing import verify_pdf

        upload = request.FILES.get("file")
        error = ""
        if upload is None:
            error = _("请选择要核验的 PDF 文件。")
        elif upload.size > self.MAX_BYTES:
            error = _("文件超过 20 MB，不是本平台出具的文书。")
        if error:
            response = self.render_to_response({"error": error})
            response.status_code = 400
            return response
        data = upload.read()
        if not data.startswith(b"%PDF"):
            response = self.render_to_response({"error": _("文件不是 PDF 格式。")})
            response.status_code = 400
            return response
        result = verify_pdf(data)
        document = IssuedDocument.objects.filter(sha256=hashlib.sha256(data).hexdigest()).first()
        audit(request.user, "document.verify_upload", document, summary="ok" if result.ok else "failed",
              data={"ok": result.ok, "serial": document.serial if document else ""},
              ip_address=client_ip(request))
        return self.render_to_response(
            {"result": result, "document": document, "filename": upload.name, "checked": True}
        )


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
            _("时间"), _("操作人"), _("操作"), _("对象类型"),
            _("对象编号"), _("摘要"), _("IP 地址"), _("结果"),
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
        audit(request.user, "audit.export", summary=request.GET.urlencode()[:300],
              data={"rows": len(events), "filters": request.GET.dict()}, ip_address=client_ip(request))
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
        return response


class ExportStatusView(LoginRequiredMixin, TemplateView):
    """Progress of a background export (core.exports); only the user who asked for it sees it."""

    template_name = "core/export_status.html"

    def get_context_data(self, **kwargs):
        from .exports import export_job_get

        job = export_job_get(kwargs["job_id"], self.request.user)
        if job is None:
            raise Http404
        percent = int(job["done"] * 100 / job["total"]) if job["total"] else 100
        return super().get_context_data(job=job, percent=percent, **kwargs)


class ExportDownloadView(LoginRequiredMixin, View):
    """The finished file of a background export, for the user who asked for it only (others: 404)."""

    def get(self, request, job_id):
        from django.http import FileResponse

        from .exports import export_job_get
        from .uploads import private_storage

        job = export_job_get(job_id, request.user)
        if job is None or job["state"] != "done" or not job["file"]:
            raise Http404
        try:
            handle = private_storage().open(job["file"], "rb")
        except FileNotFoundError:
            raise Http404 from None
        audit(request.user, "export.download", summary=f"{job['title']}: {job['total']}",
              data={"view": job["view"], "filter": job["params"], "rows": job["total"]},
              ip_address=client_ip(request))
        stamp = timezone.localdate().strftime("%Y%m%d")
        response = FileResponse(handle, as_attachment=True, filename=f"{job['filename']}-{stamp}.xlsx")
        response["Cache-Control"] = "private, no-store"
        return response
