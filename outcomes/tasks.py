"""Scheduled jobs of service outcomes (beat schedule in config/settings.py)."""

from celery import shared_task

from . import services


@shared_task
def send_outcome_reminders() -> int:
    """The quarterly reminder to report outcomes (runs daily; each quarter's reminder goes out once)."""
    return services.reminders_send()
