"""The nightly credit job (beat schedule in config/settings.py; also `manage.py credit_nightly`)."""

from celery import shared_task

from . import services


@shared_task
def credit_nightly() -> dict:
    """Propose records from the portal's facts (each exactly once) and expire records past their date."""
    return services.credit_nightly()
