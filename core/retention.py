"""Retention of temporary files (issue 18 item 6): background export files (core.exports, under
`exports/`) are deleted 7 days after they were written, and the files kept between the two steps of an
import (experts.views.NominationImportView, under `imports/`, which hold plaintext ID numbers) 24 hours
after the upload when the user never confirmed. The Celery beat task `core.tasks.purge_retained_files`
runs it hourly; docs/SECURITY.md states the periods."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .uploads import private_storage

logger = logging.getLogger("core.retention")


def retention_periods() -> dict[str, timedelta]:
    return {
        "exports": timedelta(days=settings.EXPORT_RETENTION_DAYS),
        "imports": timedelta(hours=settings.IMPORT_RETENTION_HOURS),
    }


def retained_files_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Delete the files older than their folder's period; returns how many were deleted per folder."""
    now = now or timezone.now()
    storage = private_storage()
    deleted: dict[str, int] = {}
    for folder, period in retention_periods().items():
        deleted[folder] = 0
        if not storage.exists(folder):
            continue
        _dirs, files = storage.listdir(folder)
        for name in files:
            path = f"{folder}/{name}"
            try:
                if storage.get_modified_time(path) <= now - period:
                    storage.delete(path)
                    deleted[folder] += 1
            except FileNotFoundError:  # deleted meanwhile (a confirmed import)
                continue
    if any(deleted.values()):
        logger.info("过期临时文件已删除：导出 %(exports)s 个，导入 %(imports)s 个", deleted)
    return deleted
