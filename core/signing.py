"""PAdES signatures on every issued PDF (pyHanko), and their verification against the portal's trust root.

Configuration (environment, see config/settings.py):

- `DOCUMENT_SIGNING_P12` — the issuing authority's PKCS#12 file (key + certificate + chain);
- `DOCUMENT_SIGNING_PASSPHRASE` — its passphrase;
- `DOCUMENT_SIGNING_TRUST_ROOT` — the PEM certificate of the CA the verification page trusts.

`seed_demo` (and the test suite, under `var/`) creates a demo CA and a signing certificate for the
commission with `demo_pki_create`; production points the three settings at the real files. A signature is
PAdES-B-B (CMS with the signing certificate attribute, `/SubFilter /ETSI.CAdES.detached`), invisible: the
seal area on the page stays for the paper seal; any PDF reader shows the signature panel.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PKCS12_NAME = "commission.p12"
SIGNATURE_BYTES_RESERVED = 8192
CA_NAME = "ca.pem"

_lock = threading.Lock()
_cache: dict = {}


# --- the demo PKI -------------------------------------------------------------------------------------


def demo_pki_ensure() -> None:
    """The demo PKI at the configured paths (seed_demo, DEBUG only): created when missing."""
    p12 = Path(settings.DOCUMENT_SIGNING_P12)
    demo_pki_create(p12.parent, passphrase=settings.DOCUMENT_SIGNING_PASSPHRASE)
    if Path(settings.DOCUMENT_SIGNING_TRUST_ROOT) != p12.parent / CA_NAME:
        raise ImproperlyConfigured("the demo PKI keeps its CA next to DOCUMENT_SIGNING_P12")


def demo_pki_create(
    directory: Path,
    *,
    passphrase: str,
    ca_name: str = "昌平区“科技副总”平台演示根证书",
    signer_name: str = "北京市昌平区科学技术委员会",
    force: bool = False,
) -> tuple[Path, Path]:
    """Create (once) a demo CA and a signing certificate for `signer_name` under `directory`: returns
    (PKCS#12 path, CA certificate path). The private keys stay in `directory` (var/, never committed)."""
    import fcntl

    directory = Path(directory)
    p12_path, ca_path = directory / PKCS12_NAME, directory / CA_NAME
    if p12_path.exists() and ca_path.exists() and not force:
        return p12_path, ca_path
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:  # two processes creating at once get one PKI
        fcntl.flock(lock, fcntl.LOCK_EX)
        if p12_path.exists() and ca_path.exists() and not force:
            return p12_path, ca_path
        _demo_pki_write(p12_path, ca_path, passphrase=passphrase, ca_name=ca_name, signer_name=signer_name)
    return p12_path, ca_path


def _demo_pki_write(
    p12_path: Path, ca_path: Path, *, passphrase: str, ca_name: str, signer_name: str
) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)

    def name(common: str) -> x509.Name:
        return x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "北京市昌平区"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, signer_name),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(name(ca_name)).issuer_name(name(ca_name))
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name(signer_name)).issuer_name(ca_cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # digitalSignature + nonRepudiation (contentCommitment): what PDF signature validators expect
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        signer_name.encode("utf-8"), key, cert, [ca_cert],
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    p12_path.touch(mode=0o600)
    p12_path.write_bytes(p12)


# --- signing -------------------------------------------------------------------------------------------


def _signer_class():
    """SimpleSigner whose ESS signing-certificate-v2 attribute (the PAdES binding of the certificate) is
    built once per certificate and reused as DER: rebuilding it from the parsed certificate is about a
    third of pyHanko's CPU time per signature."""
    from asn1crypto import tsp
    from pyhanko.sign import signers
    from pyhanko.sign.attributes import CMSAttributeProvider, SigningCertificateV2Provider

    class CachedESSProvider(CMSAttributeProvider):
        attribute_type = "signing_certificate_v2"

        def __init__(self, der: bytes):
            self.der = der

        async def build_attr_value(self, dry_run=False):
            return tsp.SigningCertificateV2.load(self.der)

    class PortalSigner(signers.SimpleSigner):
        _ess_der: bytes | None = None

        def _signed_attr_providers(self, *args, **kwargs):
            for provider in super()._signed_attr_providers(*args, **kwargs):
                if isinstance(provider, SigningCertificateV2Provider):
                    if self._ess_der is None:
                        from pyhanko.sign.general import as_signing_certificate_v2

                        self._ess_der = as_signing_certificate_v2(self.signing_cert).dump()
                    yield CachedESSProvider(self._ess_der)
                else:
                    yield provider

    return PortalSigner


def _signer(p12_path: str, passphrase: str):
    from pyhanko.sign import signers

    path = Path(p12_path)
    if not path.is_file():
        raise ImproperlyConfigured(
            f"DOCUMENT_SIGNING_P12 ({path}) does not exist: run `manage.py seed_demo` for the demo "
            "certificate or point DOCUMENT_SIGNING_P12 at the issuing authority's PKCS#12 file."
        )
    key = (str(path), path.stat().st_mtime_ns, passphrase)
    with _lock:
        signer = _cache.get(key)
        if signer is None:
            loaded = signers.SimpleSigner.load_pkcs12(str(path), passphrase=passphrase.encode("utf-8"))
            if loaded is None:
                raise ImproperlyConfigured(f"cannot open {path}: wrong DOCUMENT_SIGNING_PASSPHRASE?")
            signer = _signer_class()(
                signing_cert=loaded.signing_cert, signing_key=loaded.signing_key,
                cert_registry=loaded.cert_registry,
            )
            _cache.clear()
            _cache[key] = signer
    return signer


def sign_pdf(pdf: bytes, *, reason: str = "", location: str = "北京市昌平区",
             p12_path: str | None = None, passphrase: str | None = None) -> bytes:
    """`pdf` with an invisible PAdES-B-B signature of the configured issuing authority appended."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(p12_path or str(settings.DOCUMENT_SIGNING_P12),
                     settings.DOCUMENT_SIGNING_PASSPHRASE if passphrase is None else passphrase)
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name="IssuerSignature",
        reason=reason or None,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    # A fixed reservation for the CMS blob (ECDSA P-256 + two certificates is ~2 KB; RSA-4096 with a chain
    # of three stays under 8 KB): without it pyHanko signs twice, once only to measure the size.
    def sign() -> bytes:
        pdf_signer = signers.PdfSigner(meta, signer=signer)
        return pdf_signer.sign_pdf(writer, bytes_reserved=SIGNATURE_BYTES_RESERVED).getvalue()

    # pyHanko's synchronous API runs its own event loop (asyncio.run); called from a thread that already
    # runs one (an async view, a browser test's Playwright loop) it must run in a thread of its own.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return sign()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(sign).result()


# --- verification --------------------------------------------------------------------------------------


@dataclass
class Verification:
    """What the verification page says about an uploaded PDF."""

    signed: bool = False
    intact: bool = False  # the signed bytes are unchanged (hash and signature check out)
    trusted: bool = False  # the signing certificate chains to the portal's trust root
    whole_file: bool = False  # nothing was appended after the signature
    signer: str = ""
    signed_at: dt.datetime | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.trusted and self.whole_file


def _trust_roots():
    from asn1crypto import pem, x509

    path = Path(settings.DOCUMENT_SIGNING_TRUST_ROOT)
    if not path.is_file():
        raise ImproperlyConfigured(f"DOCUMENT_SIGNING_TRUST_ROOT ({path}) does not exist")
    data = path.read_bytes()
    blocks = pem.unarmor(data, multiple=True) if pem.detect(data) else [(None, None, data)]
    return [x509.Certificate.load(der) for _type, _headers, der in blocks]


def verify_pdf(pdf: bytes) -> Verification:
    """Validate the last signature of `pdf` against the portal's trust root (no network: no revocation
    fetching; the demo and the commission's CA publish no CRL)."""
    from django.utils.translation import gettext as _
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    result = Verification()
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as error:
        result.problems.append(_("文件不是有效的 PDF：%(error)s") % {"error": error})
        return result
    if not signatures:
        result.problems.append(_("文件中没有电子签名。"))
        return result
    result.signed = True
    context = ValidationContext(trust_roots=_trust_roots(), allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(signatures[-1], context)
    except Exception as error:  # a malformed signature is a failed verification, never a 500
        result.problems.append(_("签名无法解析：%(error)s") % {"error": error})
        return result
    result.intact = bool(status.intact and status.valid)
    result.trusted = bool(status.trusted)
    result.whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    cert = status.signing_cert
    if cert is not None:
        result.signer = cert.subject.native.get("organization_name") or cert.subject.human_friendly
    result.signed_at = status.signer_reported_dt
    if not result.intact:
        result.problems.append(_("签名校验失败：文件内容在签名后被改动。"))
    if result.intact and not result.trusted:
        result.problems.append(_("签名证书不是本平台的签发机构证书。"))
    if result.intact and not result.whole_file:
        result.problems.append(_("签名后文件被追加了内容。"))
    return result
