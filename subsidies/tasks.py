from celery import shared_task


@shared_task
def generate_allowances(as_of: str | None = None) -> dict:
    """Beat job, 1st of each month: generate the allowances due and the district payables (SPEC §9)."""
    from datetime import date

    from .allowances import allowances_generate
    from .services import allowance_payables_prepare

    summary = allowances_generate(as_of=date.fromisoformat(as_of) if as_of else None)
    prepared = allowance_payables_prepare(through=summary.as_of)
    return {
        "as_of": summary.as_of.isoformat(),
        "created": summary.created,
        "already_present": summary.already_present,
        "appointments": summary.appointments,
        "payables": prepared,
    }
