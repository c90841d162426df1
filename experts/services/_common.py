"""What the nomination, profile and import services share (one place, never copied): the profile
fields a nomination or an import row may set, the talent pool's search text, the check of the
first-employment date, the replacement of an expert's achievements and the commission's users.
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.utils.translation import gettext as _

from ..exceptions import NominationError
from ..models import Achievement, Discipline, Expert, Institution

#: Expert fields a nomination form or import row may set.
PROFILE_FIELDS = (
    "name",
    "gender",
    "phone",
    "email",
    "department",
    "discipline",
    "research_fields",
    "keywords",
    "degree",
    "title",
    "title_level",
    "work_start",
    "core_ip",
    "core_ip_description",
)


def search_text_for(
    expert: Expert, institution: Institution, discipline: Discipline, achievement_titles=()
) -> str:
    """The talent pool's search text, as the PostgreSQL trigger of experts migration 0005 writes it
    (there the trigger is the only source; this fills the column on SQLite, the embedded demo)."""
    parts = [
        expert.name,
        expert.keywords,
        expert.research_fields,
        expert.department,
        expert.title,
        " ".join(p.strip() for p in (institution.name, institution.short_name) if p and p.strip()),
        discipline.name,
        " ".join(t.strip() for t in achievement_titles if t and t.strip()),
    ]
    return " ".join(p.strip() for p in parts if p and p.strip())


def _refresh_search_text(expert: Expert) -> None:
    expert.search_text = search_text_for(expert, expert.institution, expert.discipline)


def _check_dates(work_start: date | None, *, today: date) -> None:
    if work_start and work_start > today:
        raise NominationError(_("首次参加工作日期不能晚于今天。"))


def _achievements_replace(expert: Expert, achievements: list[dict] | None) -> None:
    if achievements is None:
        return
    expert.achievements.all().delete()
    Achievement.objects.bulk_create(
        [Achievement(expert=expert, order=i, **row) for i, row in enumerate(achievements)]
    )
    if connection.vendor != "postgresql":  # PostgreSQL's trigger has already done this
        titles = [row.get("title", "") for row in achievements]
        expert.search_text = search_text_for(expert, expert.institution, expert.discipline, titles)
        Expert.objects.filter(pk=expert.pk).update(search_text=expert.search_text)
