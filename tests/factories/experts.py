from __future__ import annotations

from datetime import date, timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.enums import Role
from core.identifiers import make_id_check_digit
from experts import services
from experts.models import Discipline, Expert, Institution, InstitutionMember, Nomination
from tests.factories.accounts import UserFactory

PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def id_number(n: int, born: date | None = None, region: str = "110108") -> str:
    """A valid ID number, distinct for every n below 365,000."""
    if born is None:
        born = date(1970, 1, 1) + timedelta(days=n // 1000)
    first17 = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + make_id_check_digit(first17)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"测试大学{n}")
    category = "university"
    is_211 = True


class InstitutionMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstitutionMember

    user = factory.SubFactory(UserFactory, roles=[Role.NOMINATOR])
    institution = factory.SubFactory(InstitutionFactory)


def nominator(institution=None, **kwargs):
    member = InstitutionMemberFactory(institution=institution or InstitutionFactory(), **kwargs)
    return member.user


def pool_expert(**fields) -> Expert:
    """An expert admitted to the pool, not saved: a professor with a doctorate and a placeholder ID
    number, for the tests that build experts with the ORM (`fields` add to or replace these)."""
    return Expert(
        **{
            "gender": "male",
            "id_number_encrypted": "x",
            "id_number_masked": "110***********0000",
            "degree": "doctorate",
            "title": "教授",
            "title_level": "senior",
            "work_start": date(2010, 7, 1),
            "in_pool": True,
            "admitted_at": timezone.now(),
            **fields,
        }
    )


def discipline(name: str = "石油与天然气工程") -> Discipline:
    return Discipline.objects.get(name=name)


_seq = iter(range(1, 10**6))


def expert_data(**overrides) -> dict:
    data = {
        "name": "王测试",
        "gender": "male",
        "phone": "13800000000",
        "email": "expert@example.cn",
        "department": "石油工程学院",
        "discipline": discipline(),
        "research_fields": "油气田开发",
        "keywords": "提高采收率，页岩油",
        "degree": "doctorate",
        "title": "教授",
        "title_level": "senior",
        "work_start": date(2010, 7, 1),
        "core_ip": False,
        "core_ip_description": "",
        "declaration": True,
        "exception_justification": "",
    }
    data.update(overrides)
    return data


def make_nomination(
    institution=None,
    *,
    by=None,
    id_no: str | None = None,
    letter: bool = True,
    evidence: bool = False,
    achievements=None,
    **overrides,
):
    """A draft nomination created through the service (with a recommendation letter by default)."""
    if institution is None:
        by = by or nominator()
        institution = by.institution_membership.institution
    files = {}
    if letter:
        files["recommendation_letter"] = ContentFile(PDF, name="letter.pdf")
    if evidence:
        files["core_ip_evidence"] = ContentFile(PDF, name="evidence.pdf")
    return services.nomination_create(
        institution=institution,
        by=by,
        data=expert_data(**overrides),
        id_number=id_no or id_number(next(_seq)),
        achievements=achievements,
        files=files,
    )


def submitted_nomination(member, **overrides) -> Nomination:
    """A nomination by `member` (make_nomination's arguments), submitted through the service and read
    again."""
    nomination = make_nomination(by=member, **overrides)
    services.nomination_submit(nomination=nomination, by=member)
    return Nomination.objects.get(pk=nomination.pk)


def admitted_nomination(member, staff, **overrides) -> Nomination:
    """A nomination by `member` submitted and admitted to the pool by `staff` (no invitation sent)."""
    nomination = make_nomination(by=member, **overrides)
    services.nomination_submit(nomination=nomination, by=member)
    services.nomination_admit(nomination=nomination, by=staff, invite=False)
    return Nomination.objects.get(pk=nomination.pk)


# A master's degree and no title, so admissible only by exception (放宽): the core IP and its evidence.
EXCEPTION_CASE = {
    "name": "孙放宽",
    "degree": "master",
    "title_level": "none",
    "core_ip": True,
    "core_ip_description": "固态电池核心专利",
    "exception_justification": "企业急需",
    "evidence": True,
}


# The text fields of the expert's own profile form.
PROFILE_FIELDS = (
    "name", "gender", "phone", "email", "department", "research_fields", "keywords", "degree",
    "title", "title_level", "core_ip_description",
)


def profile_edit_data(expert, **overrides) -> dict:
    """The expert's own profile form as it is posted back unchanged (no achievements), with `overrides`."""
    data = {f: "" if getattr(expert, f) is None else getattr(expert, f) for f in PROFILE_FIELDS}
    data.update(
        discipline=expert.discipline_id,
        institution=expert.institution_id,
        work_start="2010-07-01",
        **{
            "ach-TOTAL_FORMS": "0",
            "ach-INITIAL_FORMS": "0",
            "ach-MIN_NUM_FORMS": "0",
            "ach-MAX_NUM_FORMS": "50",
        },
    )
    data.update(overrides)
    return data
