"""Login, logout and lockout events: the audit trail and the per-user session registry.

Connected in AccountsConfig.ready(). Django and django-axes send these signals; the handlers only record.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from core.audit import audit
from core.http import client_ip
from core.sessions import TOUCH_KEY

#: Session key holding the login time (epoch seconds) for the 12-hour absolute limit.
LOGIN_AT_SESSION_KEY = "_portal_login_at"


@receiver(user_logged_in, dispatch_uid="accounts.login_success")
def on_login(sender, request, user, **kwargs):
    from .services import session_register

    ip = client_ip(request)
    session = getattr(request, "session", None)
    if session is not None:
        session[LOGIN_AT_SESSION_KEY] = int(timezone.now().timestamp())
        # logging in starts the idle clock again: an older session's renewal time, which a login on the
        # same browser keeps, must not log the user out on the next request (that request renews it)
        session.pop(TOUCH_KEY, None)
        if session.session_key is None:
            session.save()
        session_register(user=user, session_key=session.session_key, ip_address=ip)
    audit(user, "login.success", user, summary=user.username, ip_address=ip)


@receiver(user_logged_out, dispatch_uid="accounts.logout")
def on_logout(sender, request, user, **kwargs):
    from .services import sessions_end

    if user is None:
        return
    ended = sessions_end(user=user)
    audit(user, "logout", user, summary=user.username, data={"sessions_ended": ended},
          ip_address=client_ip(request))


@receiver(user_login_failed, dispatch_uid="accounts.login_failure")
def on_login_failure(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit(None, "login.failure", summary=username, data={"username": username}, ip_address=client_ip(request))


@receiver(user_locked_out, dispatch_uid="accounts.lockout")
def on_lockout(sender, request, username, ip_address, **kwargs):
    username = str(username or "")[:150]
    audit(None, "login.lockout", summary=f"{username} @ {ip_address}", data={"username": username},
          ip_address=ip_address or client_ip(request))
