"""Thin Celery tasks of the annual awards: take ids, call a service."""

from celery import shared_task

from accounts.models import User


@shared_task
def award_certificates_task(cycle_id: int, by_id: int | None = None) -> int:
    from . import services
    from .models import AwardCycle

    by = User.objects.filter(pk=by_id).first() if by_id else None
    return services.certificates_issue(cycle=AwardCycle.objects.get(pk=cycle_id), by=by)
