from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task
def purge_expired_sessions() -> int:
    """Delete expired sessions (daily housekeeping); returns how many were removed."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
