"""The portal's template context: its name, the main menu and the unread-notification count — hidden from
a staff-side user who has not passed the second factor yet (which is why it lives in accounts, not core)."""

from django.conf import settings

from core.navigation import menu_cached, menu_for

from .middleware import needs_otp


def _before_second_factor(user) -> bool:
    """A staff-side user who has not passed the second factor yet sees no menu and no notification count
    (the OTP page and the pages it guards)."""
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
    menu, menu_html = [], ""
    if user is not None and not gated:
        if settings.CACHE_MENU:
            menu, menu_html = menu_cached(user, request.path)
        else:
            menu = menu_for(user)
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "portal_menu": menu,
        "portal_menu_html": menu_html,
        "portal_gated": gated,
        "unread_notifications": unread,
    }
