"""Login lockout with django-axes (等保 2.0 8.1.4.1 b; ASVS 2.2.1).

Failures are counted per username + IP. A failure more than 15 minutes after the previous one starts
the count again; the 6th failure in a row locks the pair for 30 minutes from the last failure.
django-axes has one "cool-off" time for both; `cooloff` gives 30 minutes to a pair that has reached the
limit and 15 minutes to any other, and `LockoutHandler` cleans up with the same two thresholds.

Imported by axes at run time (AXES_HANDLER, AXES_COOLOFF_TIME), never from settings.
"""

from __future__ import annotations

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone

FAILURE_WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=30)


def cooloff(request=None) -> timedelta:
    post = getattr(request, "POST", None)
    username = post.get("username") if post is not None else None
    ip = getattr(request, "axes_ip_address", None)
    if not username or not ip:
        return LOCK_DURATION
    failures = AccessAttempt.objects.filter(username=username, ip_address=ip).aggregate(
        n=Sum("failures_since_start")
    )["n"] or 0
    return LOCK_DURATION if failures >= settings.AXES_FAILURE_LIMIT else FAILURE_WINDOW


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler, expiring a pair below the limit 15 minutes after its last failure and a
    locked pair 30 minutes after (axes alone would use one threshold for every pair)."""

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        now = timezone.now()
        count, _ = AccessAttempt.objects.filter(
            Q(failures_since_start__lt=settings.AXES_FAILURE_LIMIT, attempt_time__lte=now - FAILURE_WINDOW)
            | Q(attempt_time__lte=now - LOCK_DURATION)
        ).delete()
        return count


def locked_attempts():
    """The username+IP pairs locked now (the security administrator's unlock page)."""
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - LOCK_DURATION,
    ).order_by("-attempt_time", "-id")
