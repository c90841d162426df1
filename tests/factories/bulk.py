"""Appointed projects in bulk, written with bulk_create: shared by the allowance benchmark
(bench/bench_allowances.py) and the concurrent-generation tests (tests/subsidies/test_allowances.py).

bulk_create sends no signals: saving an Expert one by one would schedule the enterprises app's search-index
refresh on commit (an eager .delay() in transactional tests, which pins Celery's disabled result backend
for the real-worker tests)."""

from __future__ import annotations

from decimal import Decimal


def bulk_appointments(*, enterprise, institution, discipline, starts, expert_name, id_hash, title):
    """One appointed project and its 24-month appointment per entry of `starts` (its start date), each
    with its own pool expert; `expert_name`, `id_hash` and `title` are formats of the index `i`."""
    from django.utils import timezone

    from experts.models import Expert
    from projects.models import Appointment, Project
    from projects.policy import term_end
    from tests.factories.experts import pool_expert

    now = timezone.now()
    experts = Expert.objects.bulk_create(
        [
            pool_expert(
                name=expert_name.format(i=i),
                id_number_hash=id_hash.format(i=i),
                institution=institution,
                discipline=discipline,
                admitted_at=now,
            )
            for i in range(len(starts))
        ],
        batch_size=2000,
    )
    projects = Project.objects.bulk_create(
        [
            Project(
                enterprise=enterprise,
                expert=e,
                title=title.format(i=i),
                technical_field="x",
                objectives="x",
                content="x",
                expected_results="x",
                schedule="x",
                requested_start=starts[i],
                total_funds=Decimal("100000"),
                budget_equipment=Decimal("100000"),
                approved_funding=Decimal("100000"),
                state="appointed",
            )
            for i, e in enumerate(experts)
        ],
        batch_size=2000,
    )
    return Appointment.objects.bulk_create(
        [
            Appointment(
                project=p,
                expert=p.expert,
                enterprise=enterprise,
                start_date=starts[i],
                months=24,
                end_date=term_end(starts[i], 24),
            )
            for i, p in enumerate(projects)
        ],
        batch_size=2000,
    )
