"""Benchmark of the appointment letters (科技副总聘书).

    .venv/bin/python bench/bench_letters.py

- letter_pdf_ms: one letter rendered from unsaved model instances (no database): letter context, QR code
  (SVG data URI) for the verification URL, WeasyPrint PDF with the embedded CJK font subset, and
  the PAdES signature (pyHanko, core.signing; a bench PKI under var/bench-signing/) — target ≤ 100 ms
  median (issue 19);
- letters_100_s: 100 letters issued as a Celery task by a real worker process against Redis — the
  round letters task (projects.tasks.round_letters_task) for a round of 50 generated appointments, each
  with its district and its enterprise letter (stored, numbered, verifiable documents) — target 30 s,
  from the task's dispatch to the round's `letters_finished_at`.
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import emit, median_ms, setup

setup(migrate=False)

from core.models import DocumentKind, IssuedDocument  # noqa: E402
from core.pdf import render_pdf  # noqa: E402
from core.qr import qr_data_uri  # noqa: E402
from core.signing import demo_pki_create, sign_pdf  # noqa: E402
from enterprises.models import Enterprise  # noqa: E402
from experts.models import Expert, Institution  # noqa: E402
from projects.letters import DISTRICT_TEMPLATE, letter_context  # noqa: E402
from projects.models import Appointment, Project  # noqa: E402
from projects.policy import term_end  # noqa: E402

BENCH_PASSPHRASE = "bench-only-signing-passphrase"
BENCH_P12 = str(demo_pki_create(Path(__file__).resolve().parent.parent / "var" / "bench-signing",
                                passphrase=BENCH_PASSPHRASE)[0])


def build() -> Appointment:
    institution = Institution(name="中国石油大学（北京）")
    expert = Expert(name="张明远", institution=institution)
    enterprise = Enterprise(name="北京天源生物科技有限公司")
    project = Project(title="高通量抗体药物筛选平台合作开发", expert=expert, enterprise=enterprise,
                      approved_funding=Decimal("500000.00"))
    start = date(2027, 1, 1)
    return Appointment(project=project, expert=expert, enterprise=enterprise, position="vp", start_date=start,
                       months=24, end_date=term_end(start, 24))


def render_one(appointment: Appointment) -> bytes:
    url = "http://127.0.0.1:8000/verify/3oX1bq8-benchmark-token-abcdefghij/"
    doc = IssuedDocument(kind=DocumentKind.DISTRICT_LETTER, serial="KJFZ-PS-2027-000001", token="bench",
                         title="科技副总聘书", issuer_name="北京市昌平区科学技术委员会")
    from django.utils import timezone

    doc.issued_at = timezone.now()
    context = {**letter_context(appointment), "document": doc, "verification_url": url,
               "qr_data_uri": qr_data_uri(url)}
    return sign_pdf(render_pdf(DISTRICT_TEMPLATE, context), reason="KJFZ-PS-2027-000001 科技副总聘书",
                    p12_path=BENCH_P12, passphrase=BENCH_PASSPHRASE)


def letters_batch(n_appointments: int = 50, timeout: float = 300) -> None:
    """Issue 2 × `n_appointments` letters through a real Celery worker; emits letters_100_s."""
    import os
    import subprocess
    import time

    from django.db import models
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from core.models import IssuedDocument as Doc
    from projects.models import ReviewRound
    from projects.tasks import round_letters_task

    broker = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL")
    if not broker:
        emit("letters_100_s", None, "s", target=30, ok=False, note="no REDIS_URL for the worker")
        return
    from django.db.models.functions import Cast

    label = Appointment._meta.label_lower
    issued = Doc.objects.filter(subject_type=label, subject_id=Cast(OuterRef("pk"), models.CharField()))
    chosen = list(Appointment.objects.filter(~Exists(issued), project__round__isnull=True).order_by("pk")
                  .values_list("project_id", flat=True)[:n_appointments])
    if len(chosen) < n_appointments:
        emit("letters_100_s", None, "s", target=30, ok=False, note="not enough appointments without letters")
        return
    today = timezone.localdate()
    round_ = ReviewRound.objects.create(
        name=f"基准测试聘书批次 {timezone.now():%Y%m%d%H%M%S}", period_start=today, period_end=today,
        deadline=timezone.now(),
    )
    Project.objects.filter(pk__in=chosen).update(round=round_)
    env = {**os.environ, "CELERY_BROKER_URL": broker}
    queue = f"bench-letters-{os.getpid()}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue,
         "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=Path(__file__).resolve().parent.parent, env=env,
    )
    try:
        from config.celery import app

        app.conf.update(broker_url=broker, task_always_eager=False)
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1) and time.monotonic() < deadline:
            pass
        start = time.perf_counter()
        round_letters_task.apply_async(args=[round_.pk], queue=queue)
        while time.perf_counter() - start < timeout:
            round_.refresh_from_db()
            if round_.letters_finished_at:
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - start
        in_round = Appointment.objects.filter(project__round=round_)
        ids = [str(pk) for pk in in_round.values_list("pk", flat=True)]
        done = Doc.objects.filter(subject_type=label, subject_id__in=ids).count()
        assert round_.letters_finished_at, f"letters not finished in {timeout} s"
        assert done == 2 * n_appointments and not round_.letters_error, (done, round_.letters_error)
        per = elapsed / done * 1000
        print(f"# {done} letters by a real worker in {elapsed:.1f} s ({per:.0f} ms a letter)",
              flush=True)
        emit("letters_100_s", elapsed, "s", target=30)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    appointment = build()
    pdf = render_one(appointment)
    assert pdf.startswith(b"%PDF"), "not a PDF"
    emit("letter_pdf_ms", median_ms(lambda: render_one(appointment), repeat=15, warmup=2), "ms", target=100)
    if "--no-batch" not in sys.argv:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        letters_batch()
