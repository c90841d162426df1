"""Notify a user: an in-portal notification plus an email, sent after the transaction commits (core.mail:
a Celery task with retries; a mail outage never fails the action).

Notifications are shown in the reader's language (issue 16 item 4). A notification is stored as its
*message* — the untranslated msgid (and context) of its title and body plus their parameters, as JSON in
`Notification.message` — and rendered with gettext/pgettext under the language active when it is shown
(`Notification.title_display` / `body_display`). The `title`/`body` columns still hold the Chinese
rendering: what the admin and the audit read, and the text of rows written before messages were stored
(those cannot be re-rendered: their parameters are lost).

Callers pass `Msg(gettext_lazy("…%(name)s…"), name=value)` (or a lazy string alone) — never a rendered
string. A parameter is one of:

- plain data (a name, a title, a number, a string the caller formatted in a language-neutral way such
  as `2026-03-01 17:00`): stored and shown as it is;
- a `date`: stored as ISO, shown in the reader's date format (the message "Y年m月d日", context
  "notification date format": 2026年03月01日 / March 1, 2026);
- a lazy translatable string — a state or grade label (the TextChoices' `pgettext_lazy` labels), a role
  name (`Role.X.label`), a reference name (`gettext_lazy(industry.name)`: the names are marked in
  `<app>/reference_names.py`): stored as its msgid and context, translated when shown;
- a nested `Msg`, for a piece that is itself a sentence with parameters.

Why a label is stored as its msgid rather than as a state code plus a way to look its label up: the
msgid (and context) is exactly what gettext needs, it is read off the lazy string the caller already has
(`SupportState.ARRANGED.label`), and no table from codes to label sets has to be kept in step.

A user's own words (a return reason, an intent's message) go in the body as `UserText(text)`: stored in
the body column only and shown as typed. The check that nothing already rendered slips through is in
`notification_send`: a plain `str` title or body raises TypeError under DEBUG and in the tests (the test
runner installs `mail.outbox`); in production it is logged and kept as it is.

The email goes in the recipient's language (`recipient_language`: the user's `language` attribute when
the user model has one, else the portal default, Chinese); rendering it never raises into the request.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import dateformat, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext

from .http import site_url
from .mail import mail_queue
from .models import Notification

logger = logging.getLogger("core.notifications")


class Msg:
    """A translatable message and its parameters (see the module docstring for the kinds of values)."""

    __slots__ = ("params", "text")

    def __init__(self, text: Promise, /, **params):
        self.text = text
        self.params = params

    def __repr__(self) -> str:
        return f"Msg({self.text!r}, **{self.params!r})"


class UserText(str):
    """Words a user typed (a reason, a message): shown as they are, in every language."""


def _lazy_msgid(value: Promise) -> dict:
    """The msgid (and context) of a gettext_lazy / pgettext_lazy string."""
    try:
        _unpickle, (func, args, kwargs, *_rest) = value.__reduce__()
    except (TypeError, ValueError):
        func, args, kwargs = None, (), {}
    name = getattr(func, "__name__", "")
    if name == "gettext" and len(args) == 1 and not kwargs:
        return {"m": str(args[0])}
    if name == "pgettext" and len(args) == 2 and not kwargs:
        return {"c": str(args[0]), "m": str(args[1])}
    raise TypeError(f"通知文字须为 gettext_lazy / pgettext_lazy 字符串：{value!r}")


def _param_encode(value):
    if isinstance(value, Msg):
        return message_encode(value)
    if isinstance(value, Promise):
        return _lazy_msgid(value)
    if isinstance(value, datetime):
        raise TypeError("通知参数中的时间请先格式化为与语言无关的文字，例如 2026-03-01 17:00")
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value  # kept a number: a message may format it with %(n)d
    return str(value)  # a name, a title, a Decimal amount


def message_encode(message: Msg | Promise) -> dict:
    """The JSON form of a message: {"m": msgid, "c": context (optional), "p": {name: parameter}}."""
    if isinstance(message, Promise):
        message = Msg(message)
    if not isinstance(message, Msg):
        raise TypeError(f"通知文字须为 Msg 或 gettext_lazy 字符串，而不是已译出的文字：{message!r}")
    spec = _lazy_msgid(message.text)
    if message.params:
        spec["p"] = {name: _param_encode(value) for name, value in message.params.items()}
    return spec


def _render(spec) -> str | int | float:
    if not isinstance(spec, dict):
        return spec
    if "d" in spec:
        shape = pgettext("notification date format", "Y年m月d日")
        return dateformat.format(date.fromisoformat(spec["d"]), shape)
    text = pgettext(spec["c"], spec["m"]) if spec.get("c") else gettext(spec["m"])
    params = spec.get("p")
    if params:
        text = text % {name: _render(value) for name, value in params.items()}
    return text


def message_render(spec, fallback: str = "") -> str:
    """A stored message in the active language; `fallback` (the stored Chinese) when it cannot be."""
    if not spec:
        return fallback
    try:
        return str(_render(spec))
    except (KeyError, ValueError, TypeError, IndexError):  # a translation whose placeholders are wrong
        logger.exception("通知无法按当前语言显示，改用存储的中文")
        return fallback


def recipient_language(user) -> str:
    """The language a user's emails are written in: their own preference when the user model records
    one, else the portal default."""
    language = getattr(user, "language", "") or ""
    if language in dict(settings.LANGUAGES):
        return language
    return settings.LANGUAGE_CODE


def _strict() -> bool:
    """Refuse an already-rendered string: under DEBUG and under the test runner."""
    return settings.DEBUG or hasattr(mail, "outbox")


def _encode_part(value, *, part: str, body: bool = False):
    """(JSON spec or None, the Chinese text for the column)."""
    if body and (value is None or value == ""):
        return None, ""
    if isinstance(value, UserText) and body:
        return None, str(value)
    if isinstance(value, Msg | Promise):
        try:
            spec = message_encode(value)
        except TypeError:  # a lazy string of another kind, a datetime parameter: a programming error
            if _strict():
                raise
            logger.exception("notification_send: %s 无法存为消息，按中文存储", part)
            with translation.override(settings.LANGUAGE_CODE):
                return None, _best_effort(value)
        with translation.override(settings.LANGUAGE_CODE):
            return spec, message_render(spec, "")
    message = (
        f"notification_send: {part} 须为 Msg / gettext_lazy 字符串（用户填写的文字用 UserText），"
        f"收到 {value!r}"
    )
    if _strict():
        raise TypeError(message)
    logger.warning(message)
    return None, str(value)


def _best_effort(value) -> str:
    """The text of a message that could not be stored as one (production only; never raises)."""
    try:
        if isinstance(value, Msg):
            return str(value.text) % {name: str(param) for name, param in value.params.items()}
        return str(value)
    except Exception:  # the action must still succeed
        return str(getattr(value, "text", value))


def notification_send(*, recipient, title: Msg | Promise, body: Msg | Promise | UserText | str = "",
                      link: str = "", dedupe_key: str = "", email: bool = True) -> Notification | None:
    """Create the notification; returns None when a reminder with the same dedupe_key was already sent."""
    title_spec, title_zh = _encode_part(title, part="title")
    body_spec, body_zh = _encode_part(body, part="body", body=True)
    message = {}
    if title_spec:
        message["title"] = title_spec
    if body_spec:
        message["body"] = body_spec
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                recipient=recipient, title=title_zh, body=body_zh, link=link, dedupe_key=dedupe_key,
                message=message,
            )
    except IntegrityError:
        if dedupe_key:
            return None
        raise
    if email and recipient.email:
        subject, text = _email_text(note, recipient)
        url = f"{site_url()}{link}" if link else site_url()
        mail_queue(subject, f"{text}\n\n{url}" if text else url, [recipient.email])
    return note


def _email_text(note: Notification, recipient) -> tuple[str, str]:
    """Subject and text in the recipient's language; the Chinese columns if that fails."""
    try:
        with translation.override(recipient_language(recipient)):
            return note.title_display, note.body_display
    except Exception:  # rendering must never fail the action
        logger.exception("通知邮件无法按收件人语言生成，改用中文")
        return note.title, note.body
