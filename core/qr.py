"""QR codes drawn as SVG on the server: nothing leaves the intranet, no image request."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg


def qr_svg(data: str, *, box_size: int = 10) -> str:
    """`data` as an `<svg>` element (no XML declaration), ready to inline in HTML."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size, border=2)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg"):]


def qr_data_uri(data: str) -> str:
    """The QR code as an SVG data URI, for `<img src="...">` in HTML and PDF templates."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data).encode("utf-8")).decode("ascii")
