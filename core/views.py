from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView, View

from .audit import audit
from .http import client_ip
from .navigation import notification_task_states


class RoleRequiredMixin(LoginRequiredMixin):
    """A page for the holders of `roles` only; anyone else gets 403, and the refusal is audited."""

    roles: frozenset[str] = frozenset()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_role(*self.roles):
            audit(request.user, "access.denied", summary=request.path[:300], ip_address=client_ip(request))
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RoleHiddenMixin(LoginRequiredMixin):
    """A page for the holders of `roles` (any logged-in user when empty); to anyone else it does not exist:
    404, as for another user's record (SPEC §2). RoleRequiredMixin is the 403-and-audit variant."""

    roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.roles and not request.user.has_role(*self.roles):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ReferenceEditView(View):
    """A new record of reference data (no `pk` in the URL) or one to edit, with its ModelForm: saved and
    audited as `<audit_name>.create` / `.update` with the record's name, then `success_message` and back to
    the list `success_url` (a URL name). The template has the form and the record as `context_name` (None
    for a new one)."""

    model = None
    form_class = None
    template_name = ""
    context_name = ""
    audit_name = ""
    success_message = ""
    success_url = ""

    def get_object(self, pk):
        return None if pk is None else get_object_or_404(self.model, pk=pk)

    def render_form(self, form, obj):
        return render(self.request, self.template_name, {"form": form, self.context_name: obj})

    def get(self, request, pk=None):
        obj = self.get_object(pk)
        return self.render_form(self.form_class(instance=obj), obj)

    def post(self, request, pk=None):
        obj = self.get_object(pk)
        form = self.form_class(request.POST, instance=obj)
        if not form.is_valid():
            return self.render_form(form, obj)
        with transaction.atomic():
            saved = form.save()
            action = "update" if obj else "create"
            audit(request.user, f"{self.audit_name}.{action}", saved, summary=saved.name)
        messages.success(request, self.success_message)
        return redirect(self.success_url)


class IndexView(TemplateView):
    """Public front page: what the programme is, and where to log in."""

    template_name = "core/index.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("core:home")
        return super().get(request, *args, **kwargs)


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
