"""Render every issued document of the demo data into docs/guide/img/documents/ (the user guide's
docs/guide/documents.md). Run against a database loaded with `manage.py seed_demo`:

    DEBUG=1 DATABASE_URL=... .venv/bin/python scripts/guide_documents.py

Documents the demo does not issue by itself (payment statement, evaluation opinion, service certificate)
are issued here through the services, as staff would."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from core.models import DocumentKind, IssuedDocument  # noqa: E402
from tests.core.test_issued_documents import render_pages  # noqa: E402


def current(kind):
    return IssuedDocument.objects.filter(kind=kind, superseded_at__isnull=True).order_by("id").first()


def main() -> None:
    from projects.enums import AppointmentState
    from projects.models import Appointment, Reviewer
    from subsidies import services as money
    from subsidies.enums import PaymentBatchState
    from subsidies.models import PaymentBatch
    from terms import services as terms
    from terms.enums import EvaluationState, Grade

    staff = User.objects.get(username="kw_wang")
    finance = User.objects.get(username="czj_zhao")
    with transaction.atomic():
        batch = PaymentBatch.objects.filter(
            state__in=[PaymentBatchState.PAID, PaymentBatchState.APPROVED]
        ).order_by("-state", "id").first()
        if batch:
            money.batch_statement(batch=batch, by=finance)
        ended = Appointment.objects.filter(state=AppointmentState.ENDED).first()
        if ended:
            evaluation = getattr(ended, "evaluation", None)
            if evaluation is None:
                reviewers = list(
                    Reviewer.objects.filter(active=True).exclude(institution=ended.expert.institution)[:3]
                )
                evaluation = terms.evaluation_create(appointment=ended, reviewers=reviewers, by=staff)
                terms.evaluation_open(evaluation=evaluation, by=staff)
                for member in evaluation.members.select_related("reviewer__user"):
                    terms.panel_grade_submit(member=member, grade=Grade.GOOD, opinion="合作成效良好",
                                             by=member.reviewer.user)
            if evaluation.state != EvaluationState.FINALISED:
                terms.evaluation_finalise(
                    evaluation=evaluation, grade=Grade.GOOD, override_reason="", by=staff,
                    opinion="任职期间深入企业一线，牵头完成合作项目的关键技术攻关，帮助企业建立研发管理制度。\n"
                            "建议推荐单位将其任职经历作为职务晋升、职称评审的优先推荐加分选项。",
                )
            terms.service_certificate_issue(appointment=ended, by=staff)
    names = {
        DocumentKind.DISTRICT_LETTER: "district-letter",
        DocumentKind.ENTERPRISE_LETTER: "enterprise-letter",
        DocumentKind.EVALUATION_OPINION: "evaluation-opinion",
        DocumentKind.SERVICE_CERTIFICATE: "service-certificate",
        DocumentKind.AWARD_CERTIFICATE: "award-certificate",
        DocumentKind.BATCH_STATEMENT: "payment-statement",
        DocumentKind.ANNUAL_REPORT: "annual-report",
    }
    for kind, name in names.items():
        doc = current(kind)
        if doc is None:
            print(f"no {kind} in the demo data", file=sys.stderr)
            continue
        render_pages(doc.open(), name, max_pages=6)
        print(f"{name}: {doc.serial}")


if __name__ == "__main__":
    main()
