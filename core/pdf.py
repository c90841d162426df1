"""PDF rendering with WeasyPrint: A4, CJK fonts embedded (Debian's fonts-noto-cjk), no network.

Templates extend `core/pdf/base.html`. A template may reference a static file as `static:<path>`
(resolved through the static finders) and embed images as data URIs; every other URL — http, https,
ftp — is refused, so a document never waits on the network.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher


class LocalURLFetcher(URLFetcher):
    """Fetches only static files and data URIs."""

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"})

    def fetch(self, url, headers=None):
        if url.startswith("static:"):
            path = finders.find(url.removeprefix("static:"))
            if path is None:
                raise ValueError(f"static file not found: {url}")
            url = Path(path).as_uri()
        return super().fetch(url, headers)


def render_pdf(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    return HTML(string=html, url_fetcher=LocalURLFetcher()).write_pdf()
