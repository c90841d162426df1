"""Factories of enterprises, demands and intents, plus a small helper for admitted experts (the experts
app's own factories live on its branch; this one builds the few fields matching needs)."""

from __future__ import annotations

import hashlib
import itertools
from datetime import date, timedelta

import factory
from django.utils import timezone

from accounts.enums import Role
from core.identifiers import make_uscc_check_char
from enterprises.enums import DemandState, EnterpriseSize, EnterpriseState, IntentInitiator, IntentState
from enterprises.models import Demand, Enterprise, EnterpriseMember, Industry, Intent
from tests.factories.accounts import UserFactory
from tests.factories.experts import pool_expert

_seq = itertools.count(1)


def make_uscc(n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    first17 = f"911101147{n:08d}"
    return first17 + make_uscc_check_char(first17)


def industry(code: str = "medicine_health") -> Industry:
    return Industry.objects.get(code=code)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"北京测试科技有限公司{n}")
    uscc = factory.LazyFunction(make_uscc)
    registered_address = "北京市昌平区生命园路1号"
    in_changping = True
    industry = factory.LazyFunction(industry)
    qualifications = factory.LazyFunction(lambda: ["high_tech"])
    size = EnterpriseSize.SMALL
    employee_count = 50
    rd_staff_count = 20
    contact_name = "王联络"
    contact_phone = "010-69710000"
    contact_email = "contact@example.cn"
    state = EnterpriseState.VERIFIED

    @factory.post_generation
    def admin(self, create, extracted, **kwargs):
        """`admin=user` links that user; by default a new enterprise user becomes the administrator."""
        user = extracted or UserFactory(roles=[Role.ENTERPRISE])
        EnterpriseMember.objects.create(enterprise=self, user=user, is_admin=True)
        self.admin_user = user


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demand

    enterprise = factory.SubFactory(EnterpriseFactory)
    title = factory.Sequence(lambda n: f"储能电池管理系统优化{n}")
    description = "储能电站电池管理系统算法优化与热管理设计"
    technical_field = "电化学储能"
    keywords = "储能，电池管理系统，锂离子电池"
    industry = factory.LazyFunction(lambda: industry("advanced_energy"))
    expected_work = "指导研发团队"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    state = DemandState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    tokens = factory.LazyAttribute(lambda d: _demand_tokens(d))


def _demand_tokens(d) -> dict:
    from enterprises.matching import tokenize_fields

    return tokenize_fields(
        {
            "title": d.title,
            "technical_field": d.technical_field,
            "keywords": d.keywords,
            "description": d.description,
            "expected_work": d.expected_work,
        }
    )


def make_expert(
    name: str = "专家",
    *,
    discipline: str = "电气工程",
    research_fields: str = "",
    keywords: str = "",
    in_pool: bool = True,
    user=None,
    index: bool = True,
):
    """An admitted expert with the fields matching reads; `index=True` stores their tokens as the
    enterprises app does after commit."""
    from experts.models import Discipline, Institution

    disc, _ = Discipline.objects.get_or_create(name=discipline, defaults={"code": f"T{next(_seq):05d}"})
    inst, _ = Institution.objects.get_or_create(name="测试大学", defaults={"is_985": True})
    n = next(_seq)
    expert = pool_expert(
        user=user,
        name=name,
        id_number_hash=hashlib.sha256(f"{name}{n}".encode()).hexdigest(),
        institution=inst,
        discipline=disc,
        research_fields=research_fields,
        keywords=keywords,
        work_start=date(2005, 9, 1),
        in_pool=in_pool,
        admitted_at=timezone.now() if in_pool else None,
    )
    expert.save(force_insert=True)
    if index:
        from enterprises.indexing import expert_tokens_refresh

        expert_tokens_refresh(expert.pk)
    return expert


def expert_user(**kwargs):
    user = UserFactory(roles=[Role.EXPERT])
    return make_expert(user=user, **kwargs)


class IntentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intent

    demand = factory.SubFactory(DemandFactory)
    expert = factory.LazyFunction(lambda: expert_user(name="意向专家"))
    initiator = IntentInitiator.ENTERPRISE
    state = IntentState.PENDING
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
