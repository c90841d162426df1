"""Issue 18 item 6 — retention: export files are deleted after 7 days and abandoned import files (which
hold plaintext ID numbers) after 24 hours, by the hourly beat task."""

from __future__ import annotations

import os
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from core.retention import retained_files_purge
from core.tasks import purge_retained_files
from core.uploads import private_storage


def _file(name: str, age: timedelta) -> str:
    storage = private_storage()
    saved = storage.save(name, ContentFile(b"PK\x03\x04 fake"))
    when = (timezone.now() - age).timestamp()
    os.utime(storage.path(saved), (when, when))
    return saved


def test_exports_after_7_days_and_imports_after_24_hours_are_deleted(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    storage = private_storage()
    old_export = _file("exports/old.xlsx", timedelta(days=7, minutes=1))
    new_export = _file("exports/new.xlsx", timedelta(days=6, hours=23))
    old_import = _file("imports/old.xlsx", timedelta(hours=24, minutes=1))
    new_import = _file("imports/new.xlsx", timedelta(hours=23))
    kept = _file("experts/resume/2026/keep.pdf", timedelta(days=400))
    assert retained_files_purge() == {"exports": 1, "imports": 1}
    assert not storage.exists(old_export) and not storage.exists(old_import)
    assert storage.exists(new_export) and storage.exists(new_import) and storage.exists(kept)
    assert purge_retained_files.apply().get() == {"exports": 0, "imports": 0}


def test_the_purge_is_scheduled_hourly_and_the_periods_are_documented():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-retained-files"]
    assert entry["task"] == "core.tasks.purge_retained_files"
    assert str(entry["schedule"].minute) == "{15}" and len(entry["schedule"].hour) == 24
    assert (settings.EXPORT_RETENTION_DAYS, settings.IMPORT_RETENTION_HOURS) == (7, 24)
    doc = (settings.BASE_DIR / "docs" / "SECURITY.md").read_text()
    assert "core.tasks.purge_retained_files" in doc and "7 days" in doc and "24 hours" in doc
