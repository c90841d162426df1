"""Sessions written at most once a minute (issue 20).

The security rules end a session after 30 minutes without activity (SESSION_COOKIE_AGE): Django's
`SESSION_SAVE_EVERY_REQUEST` met that by writing the session row (an UPDATE and a commit) on every
request. This middleware renews it only when the last renewal (`TOUCH_KEY`, epoch seconds) is
SESSION_TOUCH_SECONDS old or more, or when the session changed anyway. The expiry in the store is the
last renewal + 30 minutes, so a user idle for 30 minutes is always logged out — up to a minute *earlier*
than with a write on every request, never later. `accounts.middleware` checks the same rule against
`TOUCH_KEY` as well, whatever the session store. SESSION_TOUCH_SECONDS=0 writes on every request again.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware

#: Session key holding the time of the last renewal of the session (epoch seconds).
TOUCH_KEY = "_portal_touch"


def touch_due(session, now: float | None = None) -> bool:
    interval = settings.SESSION_TOUCH_SECONDS
    if interval <= 0 or session.modified:
        return True
    now = time.time() if now is None else now
    return now - session.get(TOUCH_KEY, 0) >= interval


def idle_expired(session, now: float | None = None) -> bool:
    """The session's last renewal is older than the idle limit (the store should have ended it)."""
    touched = session.get(TOUCH_KEY)
    now = time.time() if now is None else now
    return touched is not None and now - touched > settings.SESSION_COOKIE_AGE


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        due = session is not None and not session.is_empty() and response.status_code < 500
        if due and touch_due(session):
            session[TOUCH_KEY] = int(time.time())  # marks it modified: saved with a new expiry
        return super().process_response(request, response)
