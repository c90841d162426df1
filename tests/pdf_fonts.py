"""The fonts a PDF carries (for the tests that check issued documents embed a CJK font)."""

from __future__ import annotations

import io

from pypdf import PdfReader


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts embedded in the PDF's pages (a font file present), hyphens left out
    (NotoSerifCJKsc-Regular reads NotoSerifCJKscRegular)."""
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            obj = font.get_object()
            descriptor = (
                obj.get("/FontDescriptor") or obj["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            descriptor = descriptor.get_object()
            if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                fonts.add(str(descriptor["/FontName"]).replace("-", ""))
    return fonts
