from django.conf import settings

from .navigation import menu_for


def _before_second_factor(user) -> bool:
    """A staff-side user who has not passed the second factor yet sees no menu and no notification count
    (the OTP page and the pages it guards)."""
    from accounts.middleware import needs_otp

    verified = getattr(user, "is_verified", None)
    return needs_otp(user) and not (verified is not None and verified())


def portal(request) -> dict:
    user = getattr(request, "user", None)
    unread = 0
    gated = False
    if user is not None and user.is_authenticated:
        gated = _before_second_factor(user)
        if not gated:
            unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "portal_menu": menu_for(user) if user is not None and not gated else [],
        "portal_gated": gated,
        "unread_notifications": unread,
    }
