"""Uploaded documents (SPEC §7): PDF/JPEG/PNG/DOCX/XLSX only, recognised by their content, limited to
settings.UPLOAD_MAX_BYTES, stored under MEDIA_ROOT (outside the web root: MEDIA_URL is None) and
served only through a view that checked the user may see the owning record.

    resume = models.FileField(_("个人简历"), upload_to=upload_path("experts/resume"),
                              storage=private_storage, validators=[validate_document], blank=True)

    # in a view, after the object was fetched from a queryset filtered by what the user may see:
    return serve_upload(expert.resume, download_name=f"{expert.name}-简历")
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

#: kind → (content type, file extension)
DOCUMENT_TYPES = {
    "pdf": ("application/pdf", ".pdf"),
    "jpeg": ("image/jpeg", ".jpg"),
    "png": ("image/png", ".png"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}
KIND_LABELS = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG", "docx": "Word（DOCX）", "xlsx": "Excel（XLSX）"}


class NoPublicURL(AttributeError, ValueError):
    """Asking a private upload for its URL. An AttributeError too, so that Django's file widgets
    (`ClearableFileInput.is_initial` does `getattr(value, "url", False)`, the admin's widget and crispy's
    template the same) treat the file as having no link instead of crashing the edit page; templates
    render nothing for it (`silent_variable_failure`)."""

    silent_variable_failure = True


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage under settings.MEDIA_ROOT (followed when the setting changes) without URLs:
    nothing stored here is reachable except through a view that checks permission."""

    def __init__(self):
        super().__init__(base_url=None)

    def url(self, name):
        raise NoPublicURL("private uploads have no public URL; serve them with core.uploads.serve_upload")


_private_storage = PrivateStorage()


def private_storage() -> FileSystemStorage:
    """The storage of every uploaded document (a callable, so migrations do not freeze a path)."""
    return _private_storage


def sniff_kind(head: bytes, fileobj=None) -> str | None:
    """The document kind recognised from the file's first bytes (and, for ZIP, its members)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04") and fileobj is not None:
        try:
            fileobj.seek(0)
            with zipfile.ZipFile(fileobj) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            fileobj.seek(0)
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


def detect_kind(uploaded) -> str | None:
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    return sniff_kind(head, uploaded)


@deconstructible
class DocumentValidator:
    """Accepts only the given kinds (by content) and at most settings.UPLOAD_MAX_BYTES."""

    def __init__(self, kinds: tuple[str, ...] = tuple(DOCUMENT_TYPES)):
        self.kinds = tuple(kinds)

    def __call__(self, value) -> None:
        # Files already stored (a model re-validated without a new upload) are not read again.
        if isinstance(value, FieldFile) and value._committed:
            return
        uploaded = getattr(value, "file", value)
        size = getattr(value, "size", None)
        limit = settings.UPLOAD_MAX_BYTES
        allowed = "、".join(KIND_LABELS[k] for k in self.kinds)
        if size == 0:
            raise ValidationError(_("上传的文件是空的。"), code="empty")
        if size is not None and size > limit:
            raise ValidationError(
                _("文件过大：%(size)s，上限为 %(limit)s。") % {"size": _human(size), "limit": _human(limit)},
                code="too_large",
            )
        kind = detect_kind(uploaded)
        if kind not in self.kinds:
            raise ValidationError(
                _("文件内容不是允许的类型（只接受 %(allowed)s），请检查后重新上传。") % {"allowed": allowed},
                code="bad_type",
            )
        ext = PurePosixPath(getattr(value, "name", "") or "").suffix.lower()
        expected = DOCUMENT_TYPES[kind][1]
        if ext and ext not in {expected, ".jpeg" if kind == "jpeg" else expected}:
            raise ValidationError(
                _("文件扩展名“%(ext)s”与文件内容（%(kind)s）不符，请检查后重新上传。")
                % {"ext": ext, "kind": KIND_LABELS[kind]},
                code="bad_extension",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, DocumentValidator) and self.kinds == other.kinds


validate_document = DocumentValidator()


def _human(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024:.0f} KB"


@deconstructible
class upload_path:
    """upload_to: `<prefix>/<yyyy>/<random>.<ext>` — the user's file name never reaches the disk."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        from django.utils import timezone

        ext = PurePosixPath(filename).suffix.lower()[:8]
        return f"{self.prefix}/{timezone.now():%Y}/{uuid.uuid4().hex}{ext}"

    def __eq__(self, other) -> bool:
        return isinstance(other, upload_path) and self.prefix == other.prefix


def serve_upload(fieldfile, *, download_name: str = "", inline: bool = False) -> FileResponse:
    """A response with the stored file; call it only for an object the user may see. Sent as an
    attachment (issue 9 item 15, ASVS 12.5.2) unless a caller asks for `inline=True` (PDF/images only)."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    head = handle.read(16)
    handle.seek(0)
    kind = sniff_kind(head, handle) or "pdf"
    content_type, ext = DOCUMENT_TYPES[kind]
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not inline or kind in {"docx", "xlsx"},
        filename=(download_name or "document") + ext,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
