"""Issue 16 items 2 and 12 — every page in reach, no link to a closed door.

From the permission matrix, every list or landing page a role may open (a GET without object arguments
answered 200) must be linked within two clicks of that role's landing page (a link on the landing page,
its menu included, or on a page one click away). And every link a role is shown on those pages must
open for that role: a link answered 403, 404 or 405 is a closed door. The public 公示 notice and award
results are linked for anonymous visitors too. Run on the seeded demo data as each demo user."""

from __future__ import annotations

import re
from collections import defaultdict
from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import Resolver404, resolve, reverse

from accounts.enums import Role
from accounts.models import User

from .matrix_data import DEMO_USER, TEST_SETTINGS, demo_client
from .permission_matrix import MATRIX

# A page that is not a list or landing page: forms, downloads and account housekeeping.
NOT_A_LIST = re.compile(
    r"(export|create|new|import|template|edit|update|password|otp|logout|login|download"
    r"|set_language|register|expert-me|enterprise-mine|session-list)"
)
# Links the crawl never follows: the language switch, downloads and exports (not pages).
NOT_FOLLOWED = re.compile(
    r"(/export|\.xlsx|\.pdf|/download|/letter/|/file/|/files/|/evidence/|/attachment/"
    r"|/statement|/documents/|results\.)"
)
# Pages the matrix lets a role open that are not that role's work: the matchmaking events are open to any
# logged-in user, but reviewers and the three administrators (三员, no programme data beyond their duty)
# are not sent there.
NOT_THEIR_WORK = {
    ("enterprises:event-list", role)
    for role in (Role.REVIEWER, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN)
}
# Machine endpoints, not pages for people: the load balancer's health check.
NOT_PAGES = {"core:healthz"}
PER_VIEW = 2  # links checked per target view on the second level (detail pages of a list: a sample)
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#][^"]*|#[^"]*)"', re.I)


def list_pages_for(role: Role) -> dict[str, str]:
    """name → path of every list or landing page `role` may open, from the permission matrix."""
    pages = {}
    for name, row in MATRIX.items():
        if row.method != "get" or row.args or name in NOT_PAGES or NOT_A_LIST.search(name.split(":")[-1]):
            continue
        if row.expected(role.value) == 200 and (name, role) not in NOT_THEIR_WORK:
            pages[name] = reverse(name)
    pages["core:role-home"] = reverse("core:role-home", args=[role.value])
    return pages


def links_of(html: str) -> list[str]:
    """The internal links of a page (path and query, no fragment)."""
    found = []
    for href in HREF.findall(html):
        href = href.replace("&amp;", "&")
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _view_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


@override_settings(**TEST_SETTINGS)
class TestReachability(TestCase):
    @classmethod
    def setUpTestData(cls):
        out = StringIO()
        call_command("seed_demo", stdout=out)
        cls.seed_output = out.getvalue()

    def _client(self, role: Role) -> Client:
        return demo_client(role.value, raise_request_exception=False)

    def _crawl(self, client: Client, landing: str):
        """Pages one and two clicks away, and the status of every link shown (a sample per view)."""
        status: dict[str, int] = {}
        html: dict[str, str] = {}

        def get(path: str) -> int:
            if path not in status:
                response = client.get(path)
                status[path] = response.status_code
                if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    html[path] = response.content.decode()
            return status[path]

        assert get(landing) == 200
        first = [p for p in dict.fromkeys(links_of(html[landing])) if not NOT_FOLLOWED.search(p)]
        for path in first:
            get(path)
        second: set[str] = set()
        sampled: dict[str | None, int] = defaultdict(int)
        for path in first:
            for link in links_of(html.get(path, "")):
                if NOT_FOLLOWED.search(link) or link in status:
                    second.add(link)
                    continue
                view = _view_name(link)
                if sampled[view] < PER_VIEW:
                    sampled[view] += 1
                    get(link)
                second.add(link)
        reached = {urlsplit(p).path for p in [landing, *first, *second]}
        closed = sorted(f"{p} → {s}" for p, s in status.items() if s in (403, 404, 405) or s >= 500)
        return reached, closed

    def test_every_list_page_is_within_two_clicks_and_no_link_is_a_closed_door(self):
        unreachable, closed_doors = [], []
        for role in Role:
            client = self._client(role)
            landing = reverse("core:role-home", args=[role.value])
            reached, closed = self._crawl(client, landing)
            for name, path in sorted(list_pages_for(role).items()):
                if path not in reached:
                    unreachable.append(f"  {role.value}: {name} ({path})")
            closed_doors += [f"  {role.value}: {c}" for c in closed]
        assert not unreachable, "Pages a role may open but cannot reach in two clicks:\n" + "\n".join(
            unreachable
        )
        assert not closed_doors, "Links a role is shown but may not open:\n" + "\n".join(closed_doors)

    def test_the_public_notice_and_award_results_are_linked_for_everyone(self):
        wanted = {reverse("projects:notice"), reverse("awards:results")}
        anonymous = Client().get(reverse("core:index")).content.decode()
        assert wanted <= {urlsplit(p).path for p in links_of(anonymous)}
        for role in (Role.EXPERT, Role.COMMISSION):
            page = self._client(role).get(reverse("core:role-home", args=[role.value])).content.decode()
            assert wanted <= {urlsplit(p).path for p in links_of(page)}, role

    def test_the_matrix_yields_the_pages_the_issue_names(self):
        """The derivation is not vacuous: the money pages of issue 16 item 2 are among those checked."""
        assert "subsidies:my-allowances" in list_pages_for(Role.EXPERT)
        assert "subsidies:enterprise-money" in list_pages_for(Role.ENTERPRISE)
        assert "subsidies:subsidy-list" in list_pages_for(Role.COMMISSION)
        assert "projects:notice" in list_pages_for(Role.WORKING_GROUP)

    def test_seed_demo_prints_a_summary_and_every_demo_person_can_log_in(self):
        """Issue 16 item 10: a summary, not the demo's mails; 郑凯 (expert12) and every other demo person
        who acts in the demo has the demo password."""
        from accounts.seed import DEMO_PASSWORD

        lines = self.seed_output.splitlines()
        assert len(lines) < 80, len(lines)
        assert "Content-Type" not in self.seed_output and "MIME-Version" not in self.seed_output
        assert "通知邮件" in self.seed_output
        people = User.objects.filter(is_active=True, roles__isnull=False).distinct()
        assert people.count() > len(DEMO_USER)
        cannot = [u.username for u in people if not u.check_password(DEMO_PASSWORD)]
        assert not cannot, cannot
        assert User.objects.get(expert_profile__name="郑凯").check_password(DEMO_PASSWORD)
