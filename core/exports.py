"""Spreadsheet exports.

`safe_cell` / `xlsx_bytes`: cells that a spreadsheet would run as a formula are written as text.

`XlsxExportMixin`: one mechanism for every staff list. Put it in the list view's bases, give it
`export_columns` (and `export_title`), and route `<ListView>.as_export_view()`; the export is exactly the
list's filtered queryset (`export_queryset()`, by default the view's own `get_queryset()` run on the same
request, all pages), every export is audited with its filter and row count, and an export bigger than
`EXPORT_ASYNC_THRESHOLD` rows runs as a Celery task: the user is sent to a status page (progress kept in
the cache, refreshed by <meta refresh>) and downloads the file through a view that serves it only to the
user who asked for it (anyone else gets 404).

    class ProjectListView(XlsxExportMixin, RoleRequiredMixin, View):
        export_title = _("合作项目")
        export_columns = [Column(_("项目名称"), "title"), Column(_("企业"), "enterprise.name"), ...]

    path("projects/export/", views.ProjectListView.as_export_view(), name="project-export")

and in the list template: `{% load exports %}{% export_button "projects:project-export" %}`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JOB_TTL = 24 * 3600
PROGRESS_EVERY = 500


def safe_cell(value):
    """`value` made safe for a spreadsheet cell (CSV/formula injection, OWASP): a string starting
    with = + - @ tab or CR gets a leading apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_bytes(title: str, header: list[str], rows, progress: Callable[[int], None] | None = None) -> bytes:
    """A one-sheet workbook (write-only, so memory stays flat for big exports); `progress(n)` is called
    every PROGRESS_EVERY rows with the number written so far."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.append([str(h) for h in header])
    for n, row in enumerate(rows, start=1):
        ws.append([safe_cell(v) for v in row])
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- the list-export mechanism ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column: a header and either a dotted attribute path ("expert.institution.name"; a
    `get_<field>_display` is used for fields with choices) or a function of the row."""

    header: str
    value: str | Callable[[object], object]

    def get(self, obj):
        if callable(self.value):
            return cell_value(self.value(obj))
        *path, last = self.value.split(".")
        for part in path:
            obj = getattr(obj, part, None)
            if obj is None:
                return ""
        display = getattr(obj, f"get_{last}_display", None)
        return cell_value(display() if callable(display) else getattr(obj, last, ""))


def cell_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, (int, float, Decimal, date)):
        return value
    return str(value)


def async_threshold() -> int:
    return getattr(settings, "EXPORT_ASYNC_THRESHOLD", 2000)


def _params(request) -> dict[str, list[str]]:
    params = request.GET.copy()
    params.pop("page", None)
    return {k: params.getlist(k) for k in params}


class XlsxExportMixin:
    export_title: str = "导出"
    export_filename: str = "export"
    export_columns: Iterable[Column] = ()

    def export_queryset(self):
        """The rows of the list, filtered exactly as the page is (all pages)."""
        return self.get_queryset()

    def export_rows(self, queryset):
        """One row per object: its record number (编号, the primary key, which the detail pages show in
        their URLs) and then the columns."""
        columns = list(self.export_columns)
        iterable = queryset.iterator(chunk_size=2000) if hasattr(queryset, "iterator") else queryset
        for obj in iterable:
            yield [obj.pk, *(c.get(obj) for c in columns)]

    def export_build(self, queryset, progress=None) -> bytes:
        header = [_("编号"), *(str(c.header) for c in self.export_columns)]
        return xlsx_bytes(str(self.export_title), header, self.export_rows(queryset), progress)

    @classmethod
    def export_view_path(cls) -> str:
        return f"{cls.__module__}.{cls.__qualname__}"

    @classmethod
    def as_export_view(cls, **initkwargs):
        """The view that answers with the export instead of the page (same permission checks)."""
        view_cls = type(f"{cls.__name__}Export", (_ExportGet, cls), {"__module__": cls.__module__})
        view_cls.list_view_class = cls
        return view_cls.as_view(**initkwargs)


class _ExportGet:
    list_view_class: type

    def get(self, request, *args, **kwargs):
        from .audit import audit
        from .http import client_ip

        queryset = self.export_queryset()
        total = queryset.count()
        params = _params(request)
        path = self.list_view_class.export_view_path()

        def audit_export(action: str) -> None:
            data = {"view": path, "filter": params, "rows": total}
            summary = f"{self.export_title}: {total}"
            audit(request.user, action, summary=summary, data=data, ip_address=client_ip(request))

        if total > async_threshold():
            job_id = export_job_create(
                user=request.user,
                view_path=path,
                params=params,
                kwargs=kwargs,
                total=total,
                title=str(self.export_title),
                filename=self.export_filename,
            )
            audit_export("export.queued")
            from .tasks import export_run

            transaction.on_commit(lambda: export_run.delay(job_id))
            return redirect("core:export-status", job_id=job_id)
        content = self.export_build(queryset)
        audit_export("export.xlsx")
        return xlsx_response(content, self.export_filename)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- background exports: the job lives in the cache, the file in private storage --------------------


def _key(job_id: str) -> str:
    return f"export-job:{job_id}"


def export_job_create(
    *, user, view_path: str, params: dict, kwargs: dict, total: int, title: str, filename: str
) -> str:
    job_id = uuid.uuid4().hex
    cache.set(
        _key(job_id),
        {
            "user_id": user.pk,
            "view": view_path,
            "params": params,
            "kwargs": kwargs,
            "total": total,
            "done": 0,
            "state": "pending",
            "title": title,
            "filename": filename,
            "file": "",
            "error": "",
        },
        JOB_TTL,
    )
    return job_id


def export_job_get(job_id: str, user) -> dict | None:
    """The job when it belongs to `user`; None otherwise (the views answer 404)."""
    job = cache.get(_key(job_id))
    if job is None or job["user_id"] != getattr(user, "pk", None):
        return None
    return job


def _job_update(job_id: str, **changes) -> None:
    job = cache.get(_key(job_id))
    if job is not None:
        job.update(changes)
        cache.set(_key(job_id), job, JOB_TTL)


def export_job_run(job_id: str) -> int:
    """Rebuild the list view's queryset for the requesting user and the saved filter, write the file
    to private storage and record progress; returns the number of rows written."""
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.utils.module_loading import import_string

    from .uploads import private_storage

    job = cache.get(_key(job_id))
    if job is None:
        return 0
    _job_update(job_id, state="running")
    try:
        request = HttpRequest()
        request.method = "GET"
        request.GET = QueryDict(mutable=True)
        for key, values in job["params"].items():
            request.GET.setlist(key, values)
        request.user = get_user_model().objects.get(pk=job["user_id"])
        view = import_string(job["view"])()
        view.setup(request, **job["kwargs"])
        queryset = view.export_queryset()
        counter = {"n": 0}

        def progress(n):
            counter["n"] = n
            _job_update(job_id, done=n)

        content = view.export_build(queryset, progress)
        name = private_storage().save(f"exports/{job_id}.xlsx", ContentFile(content))
        total = queryset.count()
        _job_update(job_id, state="done", done=total, total=total, file=name)
        return total
    except Exception as exc:  # the status page shows the failure; the worker log has the traceback
        _job_update(job_id, state="failed", error=str(exc)[:300])
        raise
