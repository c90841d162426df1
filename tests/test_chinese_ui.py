"""Issue 16 item 4 — no codes and no English in the Chinese UI: every page the permission matrix lets a
role open (GET, answered 200 with HTML) is fetched in zh-hans as that role's demo user, on one seeded demo
data set, and its visible text (and the attributes a user reads: title, placeholder, aria-label, alt, a
button's value) is searched for state codes (`draft`, `submitted`), dotted action codes
(`paymentbatch.approved`), model references (`subsidies.paymentbatch#3`) and English words outside a
short allow-list."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from accounts.enums import Role
from tests.security.matrix_data import (
    SUBJECTS,
    TEST_SETTINGS,
    demo_client,
    resolve_args,
    seed_demo_objects,
)
from tests.security.permission_matrix import MATRIX

READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
SKIPPED_TAGS = {"script", "style", "template"}


class _Text(HTMLParser):
    """The text a reader sees: text nodes outside script/style, the attributes read out, a submit
    button's value."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self._skip += 1
        a = dict(attrs)
        for name in READ_ATTRIBUTES:
            if a.get(name):
                self.chunks.append(a[name])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.chunks.append(a["value"])

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.chunks


def _state_codes() -> set[str]:
    """Every value of the portal's state and kind enums (TextChoices) that is a lowercase code."""
    import importlib

    from django.apps import apps
    from django.db.models import TextChoices

    codes: set[str] = set()
    for config in apps.get_app_configs():
        if not config.path.startswith(str(Path(__file__).resolve().parent.parent)):
            continue
        try:
            module = importlib.import_module(f"{config.name}.enums")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, TextChoices) and value is not TextChoices:
                codes |= {v for v in value.values if re.fullmatch(r"[a-z][a-z_]+", v)}
    return codes


MODEL_REFERENCE = re.compile(r"\b[a-z_]+\.[a-z_]+#\d+")
DOTTED_CODE = re.compile(r"(?<![\w./@-])[a-z_]+\.[a-z_]+(?:\.[a-z_]+)*(?![\w/@-])")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
# Text whose latin letters are not English prose: addresses, file names, usernames, codes.
NOT_PROSE = [
    re.compile(r"\S+@\S+"),  # e-mail addresses
    re.compile(r"https?://\S+"),  # URLs
    re.compile(r"\b[\w-]+\.(?:pdf|xlsx|docx?|png|jpe?g|csv|zip)\b", re.I),  # file names
    re.compile(r"\b[a-z]+_[a-z0-9_]+\b"),  # demo usernames (kw_wang, tj_cup)
    re.compile(r"\b[A-Za-z]*\d[\w-]*\b"),  # codes with digits (expert12, 91110114MA…, G6)
]
# Latin words a Chinese reader sees in a Chinese UI: the language switch, formats, standards, protocols.
ALLOWED_WORDS = {
    "English",
    "PDF",
    "Excel",
    "xlsx",
    "OTP",
    "TOTP",
    "ID",
    "IP",
    "QR",
    "URL",
    "Email",
    "email",
    "CSV",
    "GB",
    "MB",
    "KB",
    "PIPL",
    "SM",
    "HTTPS",
    "App",
    "Google",
    "Authenticator",
    "Microsoft",
    "FreeOTP",
    "Word",
}
BLANK_CHOICE = "---------"


def problems(text: str, states: set[str], allowed: set[str]) -> list[str]:
    found = []
    for m in MODEL_REFERENCE.finditer(text):
        found.append(f"model reference {m.group()!r}")
    for m in DOTTED_CODE.finditer(text):
        found.append(f"dotted code {m.group()!r}")
    if BLANK_CHOICE in text:
        found.append(f"blank choice {BLANK_CHOICE!r}")
    rest = text
    for pattern in NOT_PROSE:
        rest = pattern.sub(" ", rest)
    for m in LATIN_WORD.finditer(rest):
        word = m.group()
        if word in states:
            found.append(f"state code {word!r}")
        elif word.isupper():  # an acronym (ADC, CCUS, PDF) or a serial's letters (KJFZ-PS-…)
            continue
        elif word not in allowed:
            found.append(f"English {word!r}")
    return found


# Every list page (item 7): a result count; the ones in UNSORTED_LISTS are short work lists without sorting.
LIST_PAGES = [
    "experts:nomination-list",
    "experts:expert-list",
    "experts:changerequest-list",
    "experts:institution-list",
    "enterprises:enterprise-list",
    "enterprises:demand-list",
    "enterprises:intent-list",
    "enterprises:event-list",
    "projects:project-list",
    "projects:round-list",
    "projects:review-list",
    "terms:appointment-list",
    "terms:support-list",
    "terms:panel-list",
    "subsidies:payment-due",
    "subsidies:subsidy-list",
    "subsidies:matching-overdue",
    "subsidies:batch-list",
    "core:notification-list",
    "core:audit-list",
    "accounts:lockout-list",
    "accounts:session-list",
    "awards:review-list",
    "credit:record-list",
    "credit:record-mine",
]
UNSORTED_LISTS = {
    "credit:record-mine",
    "experts:changerequest-list",
    "projects:review-list",
    "terms:panel-list",
    "core:notification-list",
    "core:audit-list",
    "accounts:lockout-list",
    "accounts:session-list",
    "awards:review-list",
}


@override_settings(**TEST_SETTINGS, LANGUAGE_CODE="zh-hans")
class TestChineseUI(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.objects = seed_demo_objects()

    def _client(self, subject: str) -> Client:
        return demo_client(subject, HTTP_ACCEPT_LANGUAGE="zh-hans")

    def test_no_codes_and_no_english_on_any_page_in_chinese(self):
        states = _state_codes()
        allowed = ALLOWED_WORDS | self._names_in_the_data()
        report, pages = [], 0
        for subject in SUBJECTS:
            client = self._client(subject)
            for name, row in MATRIX.items():
                if row.method != "get" or row.expected(subject) != 200:
                    continue
                url = reverse(name, args=resolve_args(row.args, self.objects))
                with transaction.atomic():
                    response = client.get(url)
                    transaction.set_rollback(True)
                if not response.get("Content-Type", "").startswith("text/html"):
                    continue
                pages += 1
                seen = set()
                for chunk in visible_text(response.content.decode()):
                    for p in problems(chunk, states, allowed):
                        if p not in seen:
                            seen.add(p)
                            report.append(f"  {subject:15} {url}: {p} in {chunk[:80]!r}")
        if os.environ.get("KJFZ_UI_DUMP"):
            out = Path("var/chinese_ui_observed.txt")
            out.parent.mkdir(exist_ok=True)
            out.write_text("\n".join(report) + "\n", encoding="utf-8")
        assert pages > 100, pages
        assert not report, "Codes or English in the Chinese UI:\n" + "\n".join(report)

    def test_every_list_counts_its_rows_and_sorts_by_its_headers(self):
        """Item 7: each list page, as the first role that may open it, says how many rows it holds, and
        (where it has sortable columns) every header link answers 200 with the column marked sorted."""
        first_role = {}
        for name in LIST_PAGES:
            row = MATRIX[name]
            first_role[name] = next(r for r in Role if row.expected(r.value) == 200)
        clients: dict[Role, Client] = {}
        for name, role in first_role.items():
            client = clients.setdefault(role, self._client(role.value))
            url = reverse(name)
            html = client.get(url).content.decode()
            count = re.search(r'data-result-count="(\d+)"', html)
            assert count, f"{name}: no result count"
            links = re.findall(r'class="sort-link" href="\?([^"]*)"', html)
            if name in UNSORTED_LISTS:
                continue
            assert links, f"{name}: no sortable column"
            for query in links:
                response = client.get(f"{url}?{query.replace('&amp;', '&')}")
                assert response.status_code == 200, (name, query)
                assert b"aria-sort=" in response.content, (name, query)
                # sorting changes the order, not the rows
                assert f'data-result-count="{count[1]}"' in response.content.decode(), (name, query)

    @staticmethod
    def _names_in_the_data() -> set[str]:
        """Latin words of the demo's own data (an enterprise's English name, a product's brand)."""
        return set()
