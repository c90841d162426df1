from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from .mail import mail_send  # noqa: F401 - registers core.mail.mail_send with the worker (autodiscovery)


@shared_task
def purge_expired_sessions() -> int:
    """Delete expired sessions (daily housekeeping); returns how many were removed."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def export_run(job_id: str) -> int:
    """A big list export (core.exports): write the file and record progress."""
    from .exports import export_job_run

    return export_job_run(job_id)


@shared_task
def purge_retained_files() -> dict:
    """Hourly: export files older than 7 days and abandoned import files older than 24 hours."""
    from .retention import retained_files_purge

    return retained_files_purge()


@shared_task
def audit_anchor() -> dict:
    """Daily: the audit chain's head written outside the database (log line and AUDIT_ANCHOR_DIR)."""
    from .audit_chain import anchor_write

    return anchor_write()
