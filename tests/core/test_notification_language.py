"""Issue 16 item 4: notifications in the reader's language. A notification stores its untranslated message
(msgid, context, parameters) and is rendered when shown; the Chinese columns stay for the admin and for
rows written before. Tests:

- the module: messages, translatable parameters (labels), dates, nested messages, old rows, a broken
  translation, the refusal of an already-rendered string, the email in the recipient's language;
- the source: no notification call passes a rendered string (`%`, f-string, gettext(), str()), and every
  notification msgid has its English (a glossary or the catalogue);
- the demo data, table-driven over every kind of notification seed_demo creates through the services:
  each read by its recipient on the notification list in English (English, no Chinese but the data's
  names) and in Chinese (the stored Chinese).
"""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, gettext_lazy, pgettext

from accounts.enums import Role
from core.models import Notification
from core.notifications import Msg, UserText, notification_send
from terms.enums import Grade
from tests.factories.accounts import UserFactory, otp_login
from tests.security.matrix_data import TEST_SETTINGS

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
BASE = Path(settings.BASE_DIR)


def _glossary() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((BASE / "locale").glob("en_glossary*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def _msgids(spec) -> list[tuple[str, str]]:
    """Every (context, msgid) of a stored message, its translatable parameters included."""
    if not isinstance(spec, dict):
        return []
    if "d" in spec:
        return [("notification date format", "Y年m月d日")]
    found = [(spec.get("c", ""), spec["m"])]
    for value in (spec.get("p") or {}).values():
        found += _msgids(value)
    return found


def _data(spec) -> list[str]:
    """The plain data of a stored message (names, titles): shown as they are in every language."""
    if not isinstance(spec, dict):
        return [str(spec)]
    out: list[str] = []
    for value in (spec.get("p") or {}).values():
        out += _data(value)
    return out


def _not_in_catalogue(message: dict) -> list[str]:
    """The msgids the compiled English catalogue lacks (it is regenerated from the glossaries by the
    lead; until then a new msgid renders in Chinese)."""
    missing = []
    with translation.override("en"):
        for part in message.values():
            for context, msgid in _msgids(part):
                english = pgettext(context, msgid) if context else gettext(msgid)
                if english == msgid and CJK.search(msgid):
                    missing.append(f"{context}|{msgid}" if context else msgid)
    return missing


def _needs_catalogue(*messages: dict) -> None:
    missing = [m for message in messages for m in _not_in_catalogue(message)]
    if missing:
        pytest.skip(f"英文目录尚未重新生成：{missing}")


def _english_without_data(text: str, spec) -> str:
    for value in sorted(_data(spec), key=len, reverse=True):
        text = text.replace(value, "")
    return text


# --- the module ------------------------------------------------------------------------------------------


def portal_note(**message):
    """A notification to a new user, shown in the portal only (no mail)."""
    return notification_send(recipient=UserFactory(), email=False, **message)


@pytest.mark.django_db
def test_a_message_is_stored_untranslated_and_shown_in_the_active_language():
    user = UserFactory()
    note = notification_send(
        recipient=user, title=Msg(gettext_lazy("专家已入库：%(name)s"), name="张三"), email=False
    )
    note.refresh_from_db()
    assert note.title == "专家已入库：张三"  # the Chinese column, for the admin and the audit
    assert note.message == {"title": {"m": "专家已入库：%(name)s", "p": {"name": "张三"}}}
    with translation.override("en"):
        assert note.title_display == "Expert admitted: 张三"
    with translation.override("zh-hans"):
        assert note.title_display == "专家已入库：张三"


# A parameter that is not plain data: the title, the parameter's name → how it is stored, and the title shown
# in Chinese and in English. A label is stored as its msgid and translated too; a date is shown in the
# reader's date format.
PARAMETERS = [
    pytest.param(
        Msg(
            gettext_lazy("任职评价意见已出具：%(expert)s，评价等级“%(grade)s”"),
            expert="张三",
            grade=Grade.EXCELLENT.label,
        ),
        "grade",
        {"c": "grade", "m": "优秀"},
        "任职评价意见已出具：张三，评价等级“优秀”",
        "Evaluation opinion issued: 张三, grade “Excellent”",
        id="label",
    ),
    pytest.param(
        Msg(gettext_lazy("服务期已提前终止（%(date)s）"), date=date(2026, 3, 1)),
        "date",
        {"d": "2026-03-01"},
        "服务期已提前终止（2026年03月01日）",
        "Service term terminated early (March 1, 2026)",
        id="date",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("title", "name", "stored", "chinese", "english"), PARAMETERS)
def test_a_parameter_is_stored_untranslated_and_shown_in_the_readers_language(
    title, name, stored, chinese, english
):
    note = portal_note(title=title)
    assert note.message["title"]["p"][name] == stored
    assert note.title == chinese
    with translation.override("en"):
        assert note.title_display == english


@pytest.mark.django_db
def test_role_and_reference_names_as_parameters_are_translated():
    note = portal_note(
        title=Msg(gettext_lazy("新的专家推荐：%(name)s"), name=gettext_lazy("医药健康")),
        body=Msg(gettext_lazy("理由：%(reason)s"), reason=Role.FINANCE.label),
    )
    assert note.title == "新的专家推荐：医药健康"
    with translation.override("en"):
        assert note.title_display == "New expert nomination: Medicine and health"
        assert note.body_display == f"Reason: {Role.FINANCE.label}"
        assert not CJK.search(note.body_display)


@pytest.mark.django_db
def test_a_nested_message_and_a_users_own_words():
    note = portal_note(
        title=Msg(
            gettext_lazy("合作项目“%(title)s”被退回修改"),
            title=Msg(gettext_lazy("%(service)s（%(beneficiary)s）"), service="甲", beneficiary="乙"),
        ),
        body=UserText("请补充预算说明"),
    )
    assert note.title == "合作项目“甲（乙）”被退回修改"
    assert note.body == "请补充预算说明" and "body" not in note.message
    with translation.override("en"):
        assert note.body_display == "请补充预算说明"  # as typed, in every language
    _needs_catalogue(note.message)
    with translation.override("en"):
        assert note.title_display == "Cooperation project “甲 (乙)” has been returned for revision"


@pytest.mark.django_db
def test_a_row_written_before_messages_were_stored_shows_its_stored_text():
    note = Notification.objects.create(recipient=UserFactory(), title="新的专家推荐：郑凯", body="请审核。")
    with translation.override("en"):
        assert (note.title_display, note.body_display) == ("新的专家推荐：郑凯", "请审核。")


@pytest.mark.django_db
def test_a_translation_with_wrong_placeholders_falls_back_to_the_stored_chinese():
    note = Notification.objects.create(
        recipient=UserFactory(),
        title="专家已入库：张三",
        message={"title": {"m": "专家已入库：%(name)s", "p": {"other": "张三"}}},
    )
    with translation.override("en"):
        assert note.title_display == "专家已入库：张三"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "title, body",
    [
        ("已经译出的标题", ""),
        (gettext("专家已入库：%(name)s") % {"name": "张三"}, ""),
        (f"专家已入库：{'张三'}", ""),
        (Msg(gettext_lazy("专家已入库：%(name)s"), name="张三"), "已经译出的正文"),
        (Msg(gettext_lazy("专家已入库：%(name)s"), name="张三"), Msg(gettext("区科委已准予该专家入库。"))),
    ],
)
def test_an_already_rendered_string_is_refused(title, body):
    with pytest.raises(TypeError):
        portal_note(title=title, body=body)
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_in_production_a_rendered_string_is_logged_and_kept_not_raised(monkeypatch, caplog):
    """A call site that slipped through must not fail the user's action: stored as it is, logged."""
    from datetime import datetime

    import core.notifications as notifications

    monkeypatch.setattr(notifications, "_strict", lambda: False)
    user = UserFactory()
    note = notification_send(recipient=user, title="已经译出的标题", body="正文", email=False)
    assert (note.title, note.body, note.message) == ("已经译出的标题", "正文", {})
    note = notification_send(
        recipient=user,
        title=Msg(gettext_lazy("专家已入库：%(name)s"), name=datetime(2026, 1, 1)),
        email=False,
    )
    assert note.title == "专家已入库：2026-01-01 00:00:00" and note.message == {}
    assert "notification_send" in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, subject, text",
    [
        (None, "专家已入库：张三", "区科委已准予该专家入库。"),
        ("en", "Expert admitted: 张三", "The science commission has admitted this expert to the talent pool."),  # noqa: E501
        ("zh-hans", "专家已入库：张三", "区科委已准予该专家入库。"),
    ],
)
def test_the_email_is_written_in_the_recipients_language(
    language, subject, text, django_capture_on_commit_callbacks
):
    """The user model has no language preference yet: Chinese, the portal default; a `language`
    attribute, when the model gets one, is followed."""
    user = UserFactory(email="zhangsan@example.cn")
    if language:
        user.language = language
    mail.outbox = []
    # the sender's language does not matter
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipient=user,
            title=Msg(gettext_lazy("专家已入库：%(name)s"), name="张三"),
            body=gettext_lazy("区科委已准予该专家入库。"),
            link="/experts/",
        )
    [message] = mail.outbox
    assert message.subject == subject
    assert message.body.startswith(text + "\n\n")


@pytest.mark.django_db
def test_a_failure_rendering_the_email_never_reaches_the_request(
    monkeypatch, django_capture_on_commit_callbacks
):
    import core.notifications as notifications

    def broken(user):
        raise RuntimeError("broken")

    monkeypatch.setattr(notifications, "recipient_language", broken)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        note = notification_send(
            recipient=UserFactory(email="x@example.cn"),
            title=Msg(gettext_lazy("专家已入库：%(name)s"), name="张三"),
        )
    assert note is not None
    assert [m.subject for m in mail.outbox] == ["专家已入库：张三"]


@pytest.mark.django_db
def test_the_landing_page_and_the_list_show_the_readers_language(client):
    user = UserFactory(roles=[Role.EXPERT])
    notification_send(
        recipient=user, title=Msg(gettext_lazy("专家已入库：%(name)s"), name="张三"), email=False
    )
    otp_login(client, user)
    for language, expected in (("en", "Expert admitted: 张三"), ("zh-hans", "专家已入库：张三")):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for url in (reverse("core:notification-list"), reverse("core:role-home", args=[Role.EXPERT])):
            assert expected in client.get(url).content.decode(), (language, url)


# --- the source ------------------------------------------------------------------------------------------

RENDERING_CALLS = {"_", "gettext", "pgettext", "ngettext", "str", "format"}


def _sources() -> list[Path]:
    """The Python files of the project's apps (every folder with an apps.py), migrations left out."""
    apps = [d.parent for d in BASE.glob("*/apps.py")]
    return sorted(p for d in apps for p in d.rglob("*.py") if "migrations" not in p.parts)


def _notification_calls():
    """(file, line, argument node, enclosing function) of every title/body handed to notification_send
    or to an app's `_notify*` helper."""
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
                if name != "notification_send" and not name.startswith("_notify"):
                    continue
                args = [k.value for k in node.keywords if k.arg in ("title", "body")]
                if name == "_notify_institution":
                    args += node.args[1:]
                for arg in args:
                    yield path.relative_to(BASE), node.lineno, arg, func


def _rendered(node, func, seen=()) -> str | None:
    """Why `node` is an already-rendered string, or None."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return "% 格式化"
    if isinstance(node, ast.JoinedStr):
        return "f-string"
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return "字符串常量"
    if isinstance(node, ast.IfExp):
        return _rendered(node.body, func, seen) or _rendered(node.orelse, func, seen)
    if isinstance(node, ast.Call):
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
        if name in RENDERING_CALLS:
            return f"{name}()"
        if name == "Msg" and node.args:
            return _rendered_text(node.args[0])
    if isinstance(node, ast.Name) and node.id not in seen:
        for assign in ast.walk(func):
            if isinstance(assign, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == node.id for t in assign.targets
            ):
                why = _rendered(assign.value, func, (*seen, node.id))
                if why:
                    return why
    return None


def _rendered_text(node) -> str | None:
    """The message text inside Msg(...): a lazy string, never a rendered one."""
    if isinstance(node, ast.Call):
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
        return None if name in ("gettext_lazy", "pgettext_lazy") else f"Msg({name}())"
    if isinstance(node, ast.Constant | ast.JoinedStr | ast.BinOp):
        return "Msg(已译出的文字)"
    return None


def test_no_notification_call_passes_an_already_rendered_string():
    calls = list(_notification_calls())
    assert len(calls) >= 50
    bad = [f"{path}:{line}: {why}" for path, line, arg, func in calls if (why := _rendered(arg, func))]
    assert not bad, bad


def _lazy_literal(node) -> str | None:
    """The catalogue key of a gettext_lazy("…") / pgettext_lazy("ctx", "…") call with literal text."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
    literals = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if name == "gettext_lazy" and len(literals) == 1:
        return literals[0]
    if name == "pgettext_lazy" and len(literals) == 2:
        return f"{literals[0]}\x04{literals[1]}"
    return None


def _notification_msgids() -> set[str]:
    """The literal msgids of every Msg(...) in the source and of the lazy strings handed as a
    notification's title or body."""
    found: set[str] = set()
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Msg" and node.args:
                key = _lazy_literal(node.args[0])
                if key:
                    found.add(key)
    for _path, _line, arg, _func in _notification_calls():
        found.update(key for node in ast.walk(arg) if (key := _lazy_literal(node)))
    return found


def test_every_notification_message_has_its_english():
    glossary = _glossary()
    msgids = _notification_msgids() | {"notification date format\x04Y年m月d日"}
    assert len(msgids) >= 50
    missing = sorted(m for m in msgids if not glossary.get(m))
    assert not missing, missing
    chinese = sorted(m for m in msgids if CJK.search(glossary[m]))
    assert not chinese, chinese


# --- the demo data, one row per kind ---------------------------------------------------------------------


@override_settings(**TEST_SETTINGS)
class TestEveryDemoNotificationKindInBothLanguages(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", stdout=StringIO())

    def _kinds(self) -> dict[str, Notification]:
        kinds: dict[str, Notification] = {}
        for note in Notification.objects.select_related("recipient").order_by("pk"):
            key = json.dumps([_msgids(part) for part in note.message.values()], ensure_ascii=False)
            kinds.setdefault(key, note)
        return kinds

    def test_every_demo_notification_is_a_stored_message(self):
        notes = list(Notification.objects.all())
        assert len(notes) > 100
        assert all(note.message.get("title") for note in notes)
        assert len(self._kinds()) >= 25

    def test_each_kind_reads_in_english_in_english_and_in_chinese_in_chinese(self):
        failures, missing = [], set()
        for note in self._kinds().values():
            absent = _not_in_catalogue(note.message)
            if absent:
                missing.update(absent)
                continue
            client = Client()
            otp_login(client, note.recipient)
            pks = list(note.recipient.notifications.values_list("pk", flat=True))
            url = f"{reverse('core:notification-list')}?page={pks.index(note.pk) // 20 + 1}"
            with translation.override("en"):
                english = (note.title_display, note.body_display if note.body else "")
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            page = client.get(url).content.decode()
            for text, part in zip(english, ("title", "body"), strict=True):
                if text and escape(text) not in page:
                    failures.append(f"{note.title}: the English {part} “{text}” is not on the list")
                left = _english_without_data(text, note.message.get(part))
                if part in note.message and CJK.search(left):
                    failures.append(f"{note.title}: Chinese left in the English {part} “{text}”")
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
            page = client.get(url).content.decode()
            if escape(note.title) not in page:
                failures.append(f"{note.title}: the Chinese title is not on the list")
            with translation.override("zh-hans"):
                if (note.title_display, note.body_display) != (note.title, note.body):
                    failures.append(f"{note.title}: Chinese rendering differs from the stored text")
        assert not failures, failures
        if missing:
            pytest.skip(f"英文目录尚未重新生成（lead 重新生成后即检查）：{sorted(missing)}")
