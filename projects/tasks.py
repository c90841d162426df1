"""Thin Celery tasks: they take ids and call a service (inline without a broker)."""

from celery import shared_task

from accounts.models import User


def dispatch(task, *args):
    """Queue `task` for a worker; without a broker (the embedded default) run it here, directly — a
    direct call rather than an eager `.delay()`, so no result backend is touched and cached."""
    if task.app.conf.task_always_eager:
        return task(*args)
    return task.delay(*args)


@shared_task
def appointment_letters_task(appointment_id: int, by_id: int | None = None) -> int:
    from .letters import appointment_letters_issue
    from .models import Appointment

    appointment = Appointment.objects.select_related("project", "expert__institution", "enterprise").get(
        pk=appointment_id
    )
    by = User.objects.filter(pk=by_id).first() if by_id else None
    return len(appointment_letters_issue(appointment=appointment, by=by))


@shared_task
def round_letters_task(round_id: int, by_id: int | None = None) -> int:
    from .letters import round_letters_generate
    from .models import ReviewRound

    by = User.objects.filter(pk=by_id).first() if by_id else None
    return round_letters_generate(round=ReviewRound.objects.get(pk=round_id), by=by)
