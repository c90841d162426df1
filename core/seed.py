"""Demo data of core: the demo PKI (a demo CA and the commission's signing certificate under
var/signing/) so that `make run` issues signed documents. Created once; never in the repository."""

from __future__ import annotations


def seed(stdout) -> None:
    from pathlib import Path

    from django.conf import settings

    from .signing import demo_pki_ensure

    existed = Path(settings.DOCUMENT_SIGNING_P12).is_file()
    if not existed and not settings.DOCUMENT_SIGNING_PASSPHRASE:
        stdout.write("  core: no signing certificate (DOCUMENT_SIGNING_PASSPHRASE unset): cannot issue")
        return
    demo_pki_ensure()
    if not existed:
        stdout.write(
            f"  core: demo signing certificate created in {Path(settings.DOCUMENT_SIGNING_P12).parent}"
        )
