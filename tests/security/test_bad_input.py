"""Issue 18 item 1 — no 500 on bad input. Every form the portal shows (POST forms and list filters), as
the role that owns the page (the permission matrix's `ok` roles, on its seeded demo data), submitted with
hostile payloads: empty, 10,000 characters, NUL, emoji, right-to-left text, negative / zero / 1e15 /
non-numeric amounts, end before start, an invalid ID number and credit code, HTML. Any 5xx (or an
exception escaping a view) fails the test with the form, the payload and the error.

The forms are found by reading the pages (the URLconf walk of the matrix gives the pages): each <form>'s
fields as the page renders them are the baseline, filled with plausible values where empty, then the
payload replaces the visible fields (and, for the id-like payloads, the hidden ones). Each submission runs
in a transaction rolled back afterwards."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from tests.app_forms import form_classes

from .matrix_data import DEMO_USER, TEST_SETTINGS, demo_client, resolve_args, seed_demo_objects
from .permission_matrix import MATRIX

LONG = "x" * 10_000
PAYLOADS: dict[str, str] = {
    "empty": "",
    "10k": LONG,
    "nul": "a\x00b",
    "emoji": "专家😀🚀👨‍👩‍👧",
    "rtl": "\u202eمرحبا עברית",
    "negative": "-1",
    "zero": "0",
    "1e15": "1e15",
    "huge": "1000000000000000",
    "non-numeric": "abc",
    "id-number": "110101199003077770",
    "credit-code": "91110000ABCDEFGHIJ",
    "html": '<script>alert(1)</script><img src=x onerror="alert(2)">',
}
# Payloads also put into hidden fields (the ids a page posts back: batch, intent, payment …).
HIDDEN_PAYLOADS = ("non-numeric", "huge", "negative", "nul", "10k")
VISIBLE = {"text", "textarea", "number", "date", "email", "tel", "url", "search", "select", "radio",
           "datetime-local", "month", "password"}
# Forms not submitted: they end the session or change the login itself (tested in their own files).
SKIPPED_ACTIONS = ("/accounts/", "/i18n/", "/admin/")


@dataclass
class Field:
    name: str
    kind: str
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def key(self, button) -> tuple:
        return (self.method, urlsplit(self.action).path, button,
                tuple(sorted({(f.name, f.kind) for f in self.fields})))


class FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("method", "get").lower(), urljoin(self.page_url, a.get("action") or ""))
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name")
        if a.get("formaction") and (tag == "button" or a.get("type", "").lower() in ("submit", "image")):
            # a button posting the form to its own URL (one view per action): the same fields, sent there
            button = [(name, a.get("value", ""))] if name else []
            action = urljoin(self.page_url, a["formaction"])
            self.forms.append(Form(form.method, action, form.fields, button))
            return
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                form.buttons.append((name, a.get("value", "")))
            elif kind == "checkbox":
                form.fields.append(Field(name, kind, a.get("value", "on")))
            elif kind == "radio":
                existing = next((f for f in form.fields if f.name == name and f.kind == "radio"), None)
                if existing is None:
                    existing = Field(name, "radio")
                    form.fields.append(existing)
                existing.options.append(a.get("value", "on"))
                if "checked" in a or not existing.value:
                    existing.value = a.get("value", "on")
            elif kind != "file":
                form.fields.append(Field(name, kind, a.get("value", "")))
        elif tag == "button" and name:
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = Field(name, "select")
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a or (not self._select.value and value):
                self._select.value = value
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea")
            form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _plausible(f: Field) -> str:
    """A value for an empty field so that the rest of the form passes and the payload reaches deep."""
    if f.value.strip():
        return f.value
    soon = date.today() + timedelta(days=30)
    return {
        "date": soon.isoformat(),
        "datetime-local": f"{soon.isoformat()}T09:00",
        "month": soon.strftime("%Y-%m"),
        "number": "1",
        "email": "tester@example.com",
        "tel": "13800138000",
        "url": "https://example.com/",
        "textarea": "测试内容",
        "text": "测试",
    }.get(f.kind, "")


def _data(form: Form, button, replace) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for f in form.fields:
        value = replace(f)
        if value is None:
            value = _plausible(f) if f.kind != "hidden" else f.value
        data.setdefault(f.name, []).append(value)
    if button:
        data.setdefault(button[0], []).append(button[1])
    return data


def submissions(form: Form):
    """(label, replace) for every payload of one form: `replace(field)` gives the field's value, or None
    for the baseline. First each payload in every visible field at once (the id-like ones in the hidden
    fields too), then — so that a payload is not hidden behind another field's error — the long text in
    each text field alone, the huge amount in each number field alone, a non-numeric id in each choice
    and hidden field alone."""
    yield "baseline", lambda f: None
    for label, payload in PAYLOADS.items():
        yield label, lambda f, p=payload: p if f.kind in VISIBLE else None
        if label in HIDDEN_PAYLOADS:
            yield f"{label} (hidden too)", (
                lambda f, p=payload: p if f.kind in VISIBLE or _is_hidden_input(f) else None
            )
    later = (date.today() + timedelta(days=400)).isoformat()
    earlier = (date.today() + timedelta(days=30)).isoformat()

    def end_before_start(f):
        n = f.name.lower()
        if f.kind in ("date", "text", "month") and any(w in n for w in ("start", "begin", "since", "from")):
            return later
        if f.kind in ("date", "text", "month") and any(w in n for w in ("end", "until", "to", "due")):
            return earlier
        return None

    yield "end before start", end_before_start
    for target in form.fields:
        if target.kind in ("text", "textarea", "search", "email", "tel", "url"):
            yield f"10k in {target.name}", lambda f, t=target: LONG if f is t else None
        if target.kind == "number" or (target.kind == "text" and any(
            w in target.name for w in ("amount", "fund", "total", "budget", "fee", "money", "score")
        )):
            yield f"1e15 in {target.name}", lambda f, t=target: "1e15" if f is t else None
            yield f"-1 in {target.name}", lambda f, t=target: "-1" if f is t else None
        if target.kind in ("select", "radio") or _is_hidden_input(target):
            yield f"abc in {target.name}", lambda f, t=target: "abc" if f is t else None


def _is_hidden_input(f: Field) -> bool:
    return f.kind == "hidden" and f.name != "csrfmiddlewaretoken"


def _ok_roles(row) -> list[Role]:
    roles = [r for r in Role if row.expected(r.value) == 200]
    return roles if len(roles) < len(Role) else [Role.COMMISSION]


@override_settings(**TEST_SETTINGS)
class TestBadInput(TestCase):
    @classmethod
    def setUpTestData(cls):
        from tests.factories import experts as ef
        from tests.factories import projects as pf

        cls.objects = seed_demo_objects()
        # Edit pages that the demo's records (already submitted) do not open: a draft nomination whose
        # expert has a résumé, and a draft project with its cooperation plan — private uploads both.
        nominator = User.objects.get(username=DEMO_USER[Role.NOMINATOR])
        draft = ef.make_nomination(cls.objects["institution"], by=nominator)
        draft.expert.resume.save("resume.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        cls.draft_nomination = draft
        cls.draft_project = pf.project(ent=cls.objects["enterprise"])

    def _client(self, role: Role) -> Client:
        return demo_client(role.value)

    def _pages(self):
        """(role, url) of every page the matrix says a role opens, plus the draft edit pages."""
        for name, row in MATRIX.items():
            if row.method != "get":
                continue
            url = reverse(name, args=resolve_args(row.args, self.objects))
            for role in _ok_roles(row):
                yield role, url
        yield Role.NOMINATOR, reverse("experts:nomination-update", args=[self.draft_nomination.pk])
        yield Role.ENTERPRISE, reverse("projects:project-update", args=[self.draft_project.pk])

    def test_no_form_or_filter_answers_a_5xx_to_hostile_input(self):
        clients: dict[Role, Client] = {}
        seen, failures, errors = set(), [], []
        n_forms = n_requests = 0
        baseline_accepted = 0
        only = os.environ.get("KJFZ_BAD_INPUT_ONLY", "")  # a part of a page URL, to rerun one page
        logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 4xx warnings by the thousand
        self.addCleanup(logging.getLogger("django.request").setLevel, logging.NOTSET)
        for role, url in self._pages():
            if only and only not in url:
                continue
            client = clients.get(role) or clients.setdefault(role, self._client(role))
            with transaction.atomic():
                try:
                    page = client.get(url)
                except Exception as exc:  # a page that crashes is the finding
                    errors.append(f"GET {url} as {role.value}: {type(exc).__name__}: {str(exc)[:200]}")
                    continue
                finally:
                    transaction.set_rollback(True)
            if page.status_code >= 500:
                errors.append(f"GET {url} as {role.value}: {page.status_code}")
                continue
            if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
                continue
            parser = FormParser("http://testserver" + url)
            parser.feed(page.content.decode())
            for form in parser.forms:
                if urlsplit(form.action).netloc not in ("", "testserver"):
                    continue
                action = urlsplit(form.action).path or url
                if action.startswith(SKIPPED_ACTIONS):
                    continue
                for button in form.buttons or [None]:
                    key = form.key(button)
                    if key in seen:
                        continue
                    seen.add(key)
                    n_forms += 1
                    for label, replace in submissions(form):
                        data = _data(form, button, replace)
                        n_requests += 1
                        with transaction.atomic():
                            try:
                                if form.method == "post":
                                    response = client.post(action, data)
                                else:
                                    response = client.get(action, data)
                                status = response.status_code
                                detail = ""
                            except Exception as exc:
                                status, detail = 500, f"{type(exc).__name__}: {str(exc)[:200]}"
                            finally:
                                transaction.set_rollback(True)
                        if label == "baseline" and status in (200, 302):
                            baseline_accepted += status == 302
                        if only:
                            context = getattr(response, "context", None)
                            shown = context.get("form") if context and label == "baseline" else None
                            shown = dict(shown.errors) if shown is not None else ""
                            print(label[:40], status, getattr(response, "url", ""), detail[:100], shown)
                        if status >= 500:
                            failures.append(
                                f"{form.method.upper()} {action} (form on {url}, as {role.value},"
                                f" button {button}) payload {label!r} → {status} {detail}"
                            )
        print(f"\nbad-input walk: {n_forms} forms, {n_requests} submissions ({baseline_accepted} forms"
              f" accepted their baseline), {len(failures)} answered 5xx")
        assert only or n_forms > 50, f"only {n_forms} forms found: the walk lost the pages"
        assert not errors and not failures, (
            "Pages that crash:\n" + "\n".join(errors)
            + f"\n{len(failures)} submissions answered 5xx:\n" + "\n".join(failures)
        )

    def test_edit_and_admin_pages_of_records_with_private_uploads_open(self):
        """Private uploads have no URL (core.uploads.PrivateStorage): the edit pages and the admin change
        pages of records holding one crashed (`ValueError: private uploads have no public URL`)."""
        from projects.models import Agreement
        from terms.models import ExtensionRequest

        agreement = Agreement.objects.exclude(file="").first()
        extension = ExtensionRequest.objects.exclude(evidence="").first()
        if extension is None:
            extension = self.objects["extension"]
            extension.evidence.save("evidence.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        if agreement is None:
            agreement = Agreement.objects.first()
            agreement.file.save("agreement.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        expert = self.draft_nomination.expert
        assert expert.resume and self.draft_nomination.recommendation_letter
        assert self.draft_project.cooperation_plan
        pages = {
            Role.NOMINATOR: [reverse("experts:nomination-update", args=[self.draft_nomination.pk])],
            Role.ENTERPRISE: [reverse("projects:project-update", args=[self.draft_project.pk])],
            Role.COMMISSION: [
                reverse("admin:experts_expert_change", args=[expert.pk]),
                reverse("admin:experts_nomination_change", args=[self.draft_nomination.pk]),
                reverse("admin:projects_project_change", args=[self.draft_project.pk]),
                reverse("admin:projects_agreement_change", args=[agreement.pk]),
                reverse("admin:terms_extensionrequest_change", args=[extension.pk]),
            ],
        }
        for role, urls in pages.items():
            client = self._client(role)
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                assert "已上传" in response.content.decode() or "admin" in url


@override_settings(**TEST_SETTINGS)
class TestNulAndIds(TestCase):
    """The causes the outside tester found, one by one."""

    def test_nul_in_any_parameter_is_a_400_with_a_message(self):
        client = Client()
        for url in ("/accounts/login/?next=%00", "/?q=a%00b"):
            response = client.get(url)
            assert response.status_code == 400, url
            assert "NUL" in response.content.decode()
        response = client.post("/accounts/login/", {"username": "a\x00", "password": "x"})
        assert response.status_code == 400


def test_int_param():
    from core.http import int_param, int_params

    assert [int_param(v) for v in ("12", " 7 ", "abc", "-1", "0", "1e5", "²", "9" * 30, None, "")] == [
        12, 7, None, None, None, None, None, None, None, None,
    ]
    assert int_params(["1", "x", "3"]) == [1, 3]



def _form_classes():
    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.path.startswith(str(__import__("django.conf").conf.settings.BASE_DIR)):
            continue
        for cls in form_classes([config.name]):
            yield config, cls


def test_every_form_text_field_is_no_longer_than_the_column_it_fills():
    """A form field that fills a model's CharField carries that column's max_length (a 10,000-character
    name must be a form error, not a DataError from PostgreSQL): the form's own model (ModelForm) or,
    for a plain Form, any model of the same app with a column of that name."""
    from django import forms
    from django.db import models

    too_long = []
    for config, cls in _form_classes():
        meta_model = getattr(getattr(cls, "_meta", None), "model", None)
        candidates = [meta_model] if meta_model else list(config.get_models())
        for name, form_field in cls.base_fields.items():
            if type(form_field) not in (forms.CharField, forms.EmailField, forms.URLField, forms.SlugField,
                                        forms.RegexField):
                continue
            if isinstance(form_field.widget, forms.PasswordInput):  # hashed before it is stored
                continue
            limits = []
            for model in candidates:
                try:
                    column = model._meta.get_field(name)
                except Exception:  # not a field of that model
                    continue
                if isinstance(column, models.CharField) and column.max_length:
                    limits.append(column.max_length)
            # A plain form's field may fill any of the same-named columns: the widest bounds it.
            if limits and (form_field.max_length is None or form_field.max_length > max(limits)):
                too_long.append(f"{cls.__module__}.{cls.__name__}.{name}: form max_length "
                                f"{form_field.max_length}, column {max(limits)}")
    assert not too_long, "Form fields longer than their column:\n" + "\n".join(too_long)
