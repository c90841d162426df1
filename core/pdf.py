"""PDF rendering with WeasyPrint: A4, CJK fonts embedded (Debian's fonts-noto-cjk), no network.

Templates extend `core/pdf/base.html`. A template may reference a static file as `static:<path>`
(resolved through the static finders) and embed images as data URIs; every other URL — http, https,
ftp — is refused, so a document never waits on the network.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import qrcode
import qrcode.image.svg
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


def qr_svg(data: str) -> str:
    """The QR code for `data` as an SVG document, drawn without any network call."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


def qr_data_uri(data: str) -> str:
    """The QR code as an SVG data URI, for `<img src="...">` in HTML and PDF templates."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data).encode("utf-8")).decode("ascii")


def render_pdf(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    return HTML(string=html, url_fetcher=LocalURLFetcher()).write_pdf()
