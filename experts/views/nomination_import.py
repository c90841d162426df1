"""Importing nominations from a spreadsheet: check every row, import all or only the valid ones."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.http import client_ip
from core.uploads import private_storage

from ..exceptions import ImportFileError
from ..forms import ImportForm
from ..imports import import_apply, import_parse, import_template
from ._common import XLSX, NominatorMixin

IMPORT_SESSION_KEY = "experts_import_file"


class NominationImportTemplateView(NominatorMixin, View):
    def get(self, request):
        response = HttpResponse(import_template(), content_type=XLSX)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote("专家推荐导入模板.xlsx")
        return response


class NominationImportView(NominatorMixin, View):
    """Upload → validate every row → import all when the file is clean; otherwise show the report and
    offer to import only the valid rows (the file is kept, privately, for that second step). The upload
    form needs the PIPL consent box, so a token for the second step exists only after consent."""

    template_name = "experts/nomination_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ImportForm(), "institution": self.institution})

    def post(self, request):
        if request.POST.get("confirm"):
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "institution": self.institution})
        upload = form.cleaned_data["file"]
        try:
            report = import_parse(upload, self.institution)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return render(request, self.template_name, {"form": form, "institution": self.institution})
        token = ""
        if report.invalid:
            if report.valid:
                upload.seek(0)
                token = uuid.uuid4().hex
                private_storage().save(f"imports/{token}.xlsx", ContentFile(upload.read()))
                request.session[IMPORT_SESSION_KEY] = token
        elif not self.apply(report):
            return redirect("experts:nomination-import")
        return render(
            request,
            self.template_name,
            {
                "form": ImportForm(),
                "report": report,
                "token": token,
                "institution": self.institution,
            },
        )

    def apply(self, report) -> bool:
        try:
            import_apply(
                report,
                institution=self.institution,
                by=self.request.user,
                ip_address=client_ip(self.request),
            )
        except IntegrityError:
            # Another import or form saved one of these people in the meantime.
            messages.error(self.request, _("导入期间有专家信息被同时修改，未导入任何数据，请重新上传。"))
            return False
        return True

    def confirm(self, request):
        token = request.POST.get("token", "")
        if not token or request.session.get(IMPORT_SESSION_KEY) != token:
            messages.error(request, _("导入文件已失效，请重新上传。"))
            return redirect("experts:nomination-import")
        storage = private_storage()
        name = f"imports/{token}.xlsx"
        if not storage.exists(name):
            messages.error(request, _("导入文件已失效，请重新上传。"))
            return redirect("experts:nomination-import")
        try:
            with storage.open(name, "rb") as handle:
                report = import_parse(handle, self.institution)
            if not self.apply(report):
                return redirect("experts:nomination-import")
        except ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect("experts:nomination-import")
        finally:
            request.session.pop(IMPORT_SESSION_KEY, None)
            transaction.on_commit(lambda: storage.delete(name))
        return render(
            request,
            self.template_name,
            {
                "form": ImportForm(),
                "report": report,
                "institution": self.institution,
            },
        )
