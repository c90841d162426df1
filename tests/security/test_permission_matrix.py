"""Item 6 — the permission matrix (data in permission_matrix.py): every named portal URL × anonymous and
every role → the expected status, on the seeded demo data; and a walk of the URLconf that fails when a
named URL has no row (等保 2.0 8.1.4.2 a–d; ASVS 4.1.1, 4.1.3, 4.2.1)."""

from __future__ import annotations

import os
from pathlib import Path

from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.enums import Role
from accounts.models import User
from tests.factories.accounts import role_login

from .matrix_data import ANONYMOUS, SUBJECTS, TEST_SETTINGS, Ref, demo_client, resolve_args, seed_demo_objects
from .permission_matrix import EXAMPLE_ROW, MATRIX, SHARED_ROWS, SHORT, SKIPPED_PREFIXES, Row

# Rows read again with the caches warm (issue 20).
WARM_ROWS = (
    "dashboard:index", "experts:expert-list", "core:role-home", "experts:nomination-list",
    "core:notification-list",
)


def named_urls() -> dict[str, str]:
    """Every named URL of the URLconf ("namespace:name" → route), includes followed, admin and static
    left out."""
    found: dict[str, str] = {}

    def walk(resolver, prefix: str, namespace: str) -> None:
        for p in resolver.url_patterns:
            route = prefix + str(p.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(p, URLResolver):
                ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
                walk(p, route, ns)
            elif isinstance(p, URLPattern) and p.name:
                found[f"{namespace}:{p.name}".strip(":")] = route

    walk(get_resolver(), "", "")
    return found


def test_every_named_url_has_a_row_in_the_matrix():
    urls = named_urls()
    missing = sorted(set(urls) - set(MATRIX))
    assert not missing, (
        "These URLs have no row in tests/security/permission_matrix.py MATRIX (who may open them?):\n"
        + "\n".join(f"  {name}  ({urls[name]})" for name in missing)
        + f"\nAdd one line per URL, for example:\n  {EXAMPLE_ROW}\n"
        "(KJFZ_MATRIX_DUMP=1 writes the observed rows to var/permission_matrix_observed.txt.)"
    )
    stale = sorted(set(MATRIX) - set(urls))
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


def _suggest(name: str, row: Row, observed: dict[str, int]) -> str:
    """The observed answers written as a row, for KJFZ_MATRIX_DUMP and failure messages."""
    from collections import Counter

    roles = [r for r in Role]
    other = Counter(observed[r.value] for r in roles).most_common(1)[0][0]
    ok = [r for r in roles if observed[r.value] == 200 and other != 200]
    special = {r: observed[r.value] for r in roles if observed[r.value] not in (other, 200 if ok else -1)}
    special = {r: s for r, s in special.items() if not (s == 200 and other != 200)}
    args = ", ".join(f"O.{a.key}" if isinstance(a, Ref) else repr(a) for a in row.args)
    parts = [f"args=({args},)"] if row.args else []
    if ok:
        parts.append("ok={" + ", ".join(SHORT[r] for r in ok) + "}")
    parts.append(f"other={other}")
    if observed[ANONYMOUS] != 302:
        parts.append(f"anonymous={observed[ANONYMOUS]}")
    if special:
        parts.append("special={" + ", ".join(f"{SHORT[r]}: {s}" for r, s in special.items()) + "}")
    if row.method != "get":
        parts.append(f'method="{row.method}"')
    return f'"{name}": Row({", ".join(parts)}),'


def _strangers() -> dict[Role, User]:
    """A second user of each owning role, with objects of their own and none of the demo's."""
    from tests.factories import experts as ef
    from tests.factories import projects as pf

    expert = pf.expert()
    _enterprise, enterprise_user = pf.enterprise()
    return {
        Role.NOMINATOR: ef.nominator(),
        Role.EXPERT: expert.user,
        Role.ENTERPRISE: enterprise_user,
        Role.REVIEWER: pf.reviewer().user,
    }


@override_settings(**TEST_SETTINGS)
class TestPermissionMatrix(TestCase):
    """One seeded demo data set for the whole matrix (seed_demo once, rolled back at the end)."""

    @classmethod
    def setUpTestData(cls):
        cls.objects = seed_demo_objects()
        cls.strangers = _strangers()

    def _clients(self) -> dict[str, Client]:
        return {subject: demo_client(subject) for subject in SUBJECTS}

    def test_every_url_answers_every_role_as_the_matrix_says(self):
        clients = self._clients()
        wrong, dump = [], []
        for name, row in MATRIX.items():
            url = reverse(name, args=resolve_args(row.args, self.objects))
            observed = {}
            for subject in SUBJECTS:
                # Each request in a transaction rolled back: an allowed POST changes nothing for the next.
                with transaction.atomic():
                    response = getattr(clients[subject], row.method)(url)
                    transaction.set_rollback(True)
                observed[subject] = response.status_code
                if response.status_code != row.expected(subject):
                    wrong.append(
                        f"  {name} as {subject}: {row.method.upper()} {url} → {response.status_code},"
                        f" expected {row.expected(subject)}"
                    )
            dump.append(_suggest(name, row, observed))
        if os.environ.get("KJFZ_MATRIX_DUMP"):
            out = Path("var/permission_matrix_observed.txt")
            out.parent.mkdir(exist_ok=True)
            out.write_text("\n".join(dump) + "\n", encoding="utf-8")
        assert not wrong, "Answers that differ from tests/security/permission_matrix.py:\n" + "\n".join(wrong)

    def test_cached_pages_answer_as_the_matrix_says_with_caches_warm(self):
        """Issue 20: the dashboard body (per data version and role flags), the menu (per role set) and the
        pool's filter options are cached; every subject reads these rows twice more after all the others
        have warmed the caches, and still gets exactly the matrix's answer."""
        clients = self._clients()
        wrong = []
        for _round in range(2):
            for name in WARM_ROWS:
                row = MATRIX[name]
                url = reverse(name, args=resolve_args(row.args, self.objects))
                for subject in SUBJECTS:
                    with transaction.atomic():
                        response = getattr(clients[subject], row.method)(url)
                        transaction.set_rollback(True)
                    if response.status_code != row.expected(subject):
                        wrong.append(f"  {name} as {subject} (warm): {response.status_code}")
        assert not wrong, "\n".join(wrong)

    def test_another_users_object_is_404_everywhere(self):
        """IDOR (item 6, ASVS 4.2.1): for every row about an object, every owning role that reaches it
        (nominator, expert, enterprise, reviewer) is matched by a stranger of the same role — another
        institution, expert, enterprise, reviewer — who must get 404, file downloads included."""
        wrong, checked = [], []
        for role, stranger in self.strangers.items():
            client = role_login(Client(), stranger, role)
            for name, row in MATRIX.items():
                if not any(isinstance(a, Ref) for a in row.args) or row.expected(role.value) in (403, 404):
                    continue
                if row.anonymous == 200:  # public by design (a document's verification by its token)
                    continue
                if name in SHARED_ROWS:  # open to every user of the role by design (see SHARED_ROWS)
                    continue
                url = reverse(name, args=resolve_args(row.args, self.objects))
                with transaction.atomic():
                    response = getattr(client, row.method)(url)
                    transaction.set_rollback(True)
                checked.append((role.value, name))
                if response.status_code != 404:
                    wrong.append(f"  {name} as another {role.value}: {url} → {response.status_code}")
        assert not wrong, "Another user's object must be 404:\n" + "\n".join(wrong)
        # The downloads are among the URLs checked (the owner gets the file, the stranger 404).
        for pair in [
            ("expert", "experts:expert-file"),
            ("nominator", "experts:nomination-letter"),
            ("enterprise", "projects:project-file"),
            ("enterprise", "projects:project-letter"),
            ("expert", "terms:support-evidence"),
            ("enterprise", "terms:extension-evidence"),
            ("expert", "experts:expert-detail"),
            ("enterprise", "enterprises:demand-detail"),
            ("enterprise", "awards:application-evidence"),
            ("enterprise", "awards:certificate"),
            ("expert", "terms:support-withdraw"),
            ("nominator", "core:export-status"),
            ("nominator", "core:export-download"),
        ]:
            assert pair in checked, pair
        assert len(checked) >= 25, checked

    def test_the_demo_data_has_the_objects_the_matrix_asks_about(self):
        """A missing object turns its rows into 404-for-everyone; only these may be missing."""
        missing = sorted(k for k, v in self.objects.items() if v is None)
        assert set(missing) <= {
            "allowance",
            "changerequest",
            "document",
            "evaluation",
            "objection",
            "panel",
        }, missing
