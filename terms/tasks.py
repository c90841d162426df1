"""Scheduled jobs of the service term (beat schedule in config/settings.py; also management commands)."""

from celery import shared_task

from . import services


@shared_task
def end_expired_appointments() -> int:
    """Move active appointments whose term is over to ENDED; returns how many."""
    return len(services.appointments_end_due())


@shared_task
def send_term_reminders() -> int:
    """Send the reminders due today (exactly once each); returns how many notifications were created."""
    return services.reminders_send()
