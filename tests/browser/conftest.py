"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium) against a live
server. No browser is ever downloaded; a machine without Chromium skips these tests with a reason.

One browser per session, one context per logged-in user (`as_user`), so a journey keeps every actor's
session open side by side. Every page loaded in any context is checked for the accessibility basics
(`A11Y_SCRIPT`, collected through the console) and by axe-core against WCAG 2.1 A/AA (`AXE_RUNNER`, see
`Session`); each test saves a screenshot of its last page, and a failing test also saves that page's HTML,
under var/browser-artifacts/.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "browser-artifacts"
GUIDE_IMG = ROOT / "docs" / "guide" / "img"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# Runs in every page before its own scripts; reports problems through console.error with the A11Y prefix
# (init scripts are injected by the browser, so the portal's CSP does not block them).
A11Y_SCRIPT = r"""
(() => {
  const check = () => {
    if (!/^https?:/.test(location.protocol)) return;
    if (!document.contentType || !document.contentType.includes("html") || !document.body) return;
    const problems = [];
    const title = (document.title || "").trim();
    if (!title || title.startsWith("·")) problems.push("empty <title>");
    const h1 = document.querySelectorAll("h1").length;
    if (h1 !== 1) problems.push(`${h1} <h1> elements (want exactly one)`);
    const skip = new Set(["hidden", "submit", "button", "reset", "image"]);
    for (const el of document.querySelectorAll("input, select, textarea")) {
      if (el.tagName === "INPUT" && skip.has((el.type || "").toLowerCase())) continue;
      if (el.name === "csrfmiddlewaretoken") continue;
      const style = getComputedStyle(el);
      const visible = el.getClientRects().length > 0 && style.visibility !== "hidden";
      const hiddenFile = el.type === "file";  // a styled file input is still a form field: check it too
      if (!visible && !hiddenFile) continue;
      const labelled = (el.labels && el.labels.length > 0 && [...el.labels].some(l => l.textContent.trim()))
        || (el.getAttribute("aria-label") || "").trim()
        || (el.getAttribute("aria-labelledby") || "").trim();
      if (!labelled) problems.push(`unlabelled ${el.tagName.toLowerCase()} name=${el.name || el.id || "?"}`);
    }
    if (problems.length) console.error("A11Y " + location.pathname + ": " + problems.join("; "));
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", check);
  else check();
})();
"""


# axe-core 4.x (MPL-2.0), vendored from the npm registry's `axe-core` package: tests/browser/vendor/README.md
# says how to update it. Only the tests load it; the portal never serves it.
AXE_SOURCE = ROOT / "tests" / "browser" / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Starts axe on every http(s) document once it has loaded and reports through the console: "AXE-START <id>"
# when it starts, "AXE-DONE {id, path, violations}" when it is done (or failed, or ran out of time). Init
# scripts are evaluated by the browser itself, so the portal's CSP (script-src 'self') does not block them,
# whereas `page.add_script_tag(content=...)` is an inline <script> the CSP refuses (checked: it raises).
AXE_RUNNER = r"""
(() => {
  if (!/^https?:/.test(location.protocol) || window.top !== window) return;
  const tags = %(tags)s;
  const id = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
  const why = n => n.failureSummary ? " — " + n.failureSummary.split("\n").slice(1).join(" ").trim() : "";
  const violations = () => window.axe.run(document, options).then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" ") + why(n)),
  })));
  const late = {id: "axe-timeout", impact: "critical", help: "axe-core did not finish in 15 s", nodes: []};
  const timeout = new Promise(resolve => setTimeout(() => resolve([late]), 15000));
  const start = () => {
    if (window.__axeRun) return window.__axeRun;
    if (!window.axe || !(document.contentType || "").includes("html")) return Promise.resolve(null);
    console.info("AXE-START " + id);
    window.__axeRun = Promise.race([violations(), timeout])
      .catch(e => [{id: "axe-error", impact: "critical", help: String(e), nodes: []}])
      .then(found => {
        const path = location.pathname + location.search;
        console.info("AXE-DONE " + JSON.stringify({id: id, path: path, violations: found}));
        return found;
      });
    return window.__axeRun;
  };
  window.__axeStart = start;
  if (document.readyState === "complete") start();
  else window.addEventListener("load", () => start());
})();
"""


# Documents axe-core checked in this run, per test (printed at the end of the run).
AXE_CHECKED: dict[str, int] = {}


def pytest_terminal_summary(terminalreporter):
    if AXE_CHECKED:
        pages, tests = sum(AXE_CHECKED.values()), len(AXE_CHECKED)
        terminalreporter.write_line(f"axe-core (WCAG 2.1 A/AA) checked {pages} page loads in {tests} tests")


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are
    # still synchronous and safe.
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


class Session:
    """The browser side of one test: contexts (one per user), the accessibility findings of every page
    loaded, and the page last used (for the closing screenshot).

    axe-core runs in every document after its load event (`AXE_RUNNER`). Its result must arrive before
    the document goes away: a navigation request of a page whose axe run is still going is held (the
    route is answered only when that page's "AXE-DONE" arrives; until the new response arrives the old
    document stays), so a test that clicks on before axe is done loses nothing. Playwright allows no
    evaluate from inside a route handler (checked: it raises), hence the console. `check_pages()`
    collects the documents still open at the end. `axe_pages` lists the documents checked."""

    def __init__(self, browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.contexts = []
        self.problems: list[str] = []
        self.last_page = None
        self.axe_pages: list[str] = []
        self._axe_running: dict = {}  # page -> id of the document whose axe run has not reported yet
        self._held: dict = {}  # page -> navigation routes waiting for that report

    def new_page(self, viewport=DESKTOP):
        context = self.browser.new_context(
            locale="zh-CN", base_url=self.base_url, viewport=viewport, accept_downloads=True
        )
        context.add_init_script(A11Y_SCRIPT)
        context.add_init_script(script=axe_init_script())
        context.on("console", self._console)
        context.route(lambda url: "/static/" not in url, self._before_navigation)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(8000)
        page.on("load", self._loaded)
        self.last_page = page
        return page

    def _console(self, message):
        text = message.text
        if message.type == "error" and text.startswith("A11Y "):
            self.problems.append(text)
        elif text.startswith("AXE-START "):
            self._axe_running[message.page] = text.removeprefix("AXE-START ")
        elif text.startswith("AXE-DONE "):
            report = json.loads(text.removeprefix("AXE-DONE "))
            self._axe_report(report)
            if self._axe_running.get(message.page) == report["id"]:
                del self._axe_running[message.page]
                for route in self._held.pop(message.page, []):
                    route.fallback()

    def _axe_report(self, report: dict) -> None:
        path = report["path"]
        self.axe_pages.append(path)
        for v in report["violations"] or []:
            more = f"; … {len(v['nodes']) - 4} more" if len(v["nodes"]) > 4 else ""
            nodes = "; ".join(v["nodes"][:4]) + more
            self.problems.append(f"AXE {path}: {v['id']} ({v['impact']}) {v['help']}: {nodes}")

    def _before_navigation(self, route, request):
        page = request.frame.page if request.is_navigation_request() else None
        if page is not None and request.frame.parent_frame is None and page in self._axe_running:
            self._held.setdefault(page, []).append(route)
        else:
            route.fallback()

    def check_pages(self) -> None:
        """Wait for the axe results of every document still open (the pages a test ends on)."""
        for context in self.contexts:
            for page in context.pages:
                if page.is_closed():
                    continue
                # A document going away (a download) has nothing to collect.
                with contextlib.suppress(Exception):
                    page.evaluate("() => window.__axeStart ? window.__axeStart() : null")

    def _loaded(self, page):
        self.last_page = page

    def close(self):
        for context in self.contexts:
            context.close()


def axe_init_script() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8") + "\n" + AXE_RUNNER % {"tags": json.dumps(AXE_TAGS)}


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name)[:120]


@pytest.fixture
def session(browser, live_server, reference_data, request):
    """Every live-server test is transactional with serialized rollback (via `reference_data`): a flush
    without it re-creates content types under new ids, and the next test's restore then collides."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    s = Session(browser, live_server.url)
    yield s
    name = _safe(request.node.name)
    passed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.passed
    if passed:  # every test is held to the accessibility checks, also one that never asks for them
        s.check_pages()
    page = s.last_page
    if page is not None and not page.is_closed():
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}-last.png"))
            failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
            if failed:
                (ARTIFACTS / f"{name}-failed.html").write_text(page.content(), encoding="utf-8")
                page.screenshot(path=str(ARTIFACTS / f"{name}-failed.png"), full_page=True)
        except Exception:  # a crashed page must not hide the test's own failure
            pass
    s.close()
    AXE_CHECKED[request.node.nodeid] = len(s.axe_pages)
    if passed and s.problems:
        pytest.fail("accessibility problems:\n" + "\n".join(s.problems))


@pytest.fixture
def page(session):
    return session.new_page()


def guide_shot(page, name: str, focus=None) -> None:
    """A named screenshot of a key step for the user guide (docs/guide/img/<name>.png). Written into the
    guide only with GUIDE_SCREENSHOTS=1 (so a normal test run leaves the working tree clean), otherwise
    under var/browser-artifacts/guide/. The PNG is reduced to a 256-colour palette to stay small."""
    from PIL import Image

    target_dir = GUIDE_IMG if os.environ.get("GUIDE_SCREENSHOTS") == "1" else ARTIFACTS / "guide"
    target_dir.mkdir(parents=True, exist_ok=True)
    if focus is not None:  # a locator (or selector) the picture must show: scroll it into the viewport
        target = page.locator(focus) if isinstance(focus, str) else focus
        target.first.evaluate("e => e.scrollIntoView({block: 'center'})")
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the viewport"
    raw = page.screenshot(type="png")
    image = Image.open(io.BytesIO(raw)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(target_dir / f"{name}.png", optimize=True)


@pytest.fixture
def reference_data(transactional_db, django_db_serialized_rollback):
    """The live server needs a transactional database; serialized rollback keeps the reference data
    that migrations load (disciplines, institutions, industries, policy 2.0) for the next test."""
    from tests.factories.subsidies import ensure_reference_data

    ensure_reference_data()


@pytest.fixture
def demo_data(transactional_db, django_db_serialized_rollback):
    from io import StringIO

    from django.core.management import call_command

    from tests.factories.subsidies import ensure_reference_data

    ensure_reference_data()
    call_command("seed_demo", stdout=StringIO())
