import itertools
from datetime import date
from decimal import Decimal

import factory

from subsidies.enums import BudgetCategory, PayeeKind
from subsidies.models import BankAccount, Payment, PaymentBatch, PolicyVersion


class BankAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankAccount

    payee_kind = PayeeKind.EXPERT
    holder_name = factory.Faker("name", locale="zh_CN")
    bank_name = "中国工商银行北京昌平支行"
    account_number = factory.Sequence(lambda n: f"62220200{n:011d}")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    category = BudgetCategory.ALLOWANCE
    budget_year = 2026
    payee_kind = PayeeKind.EXPERT
    payee_name = factory.LazyAttribute(lambda p: p.bank_account.holder_name if p.bank_account else "张明远")
    bank_account = factory.SubFactory(BankAccountFactory)
    amount = Decimal("2000.00")
    purpose = "人才生活补贴"
    due_on = date(2026, 4, 1)


class PaymentBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentBatch

    number = factory.Sequence(lambda n: f"ZF-2026-T{n:04d}")
    title = "2026年4月人才生活补贴"
    year = 2026


def appointment(
    *,
    start: date = date(2025, 3, 1),
    months: int = 24,
    approved_funding=Decimal("500000.00"),
    social_science: bool = False,
    ent=None,
    exp=None,
    terminated_on=None,
    state="active",
):
    """A real Appointment (projects.models) on a real Project, built directly with the ORM: the money
    tests need appointments in given dates, not the whole filing and review workflow."""
    from projects import policy as project_policy
    from projects.models import Appointment, Project
    from tests.factories import projects as pf

    if ent is None:
        ent, _user = enterprise()
    exp = exp or pf.expert()
    project = Project.objects.create(
        enterprise=ent,
        expert=exp,
        title=f"{exp.name}合作项目",
        social_science=social_science,
        technical_field="生物医药",
        objectives="目标",
        content="内容",
        expected_results="成果",
        schedule="进度",
        requested_start=start,
        total_funds=approved_funding or Decimal("1.00"),
        budget_equipment=approved_funding or Decimal("1.00"),
        approved_funding=approved_funding,
        state="appointed",
    )
    return Appointment.objects.create(
        project=project,
        expert=exp,
        enterprise=ent,
        start_date=start,
        months=months,
        end_date=project_policy.term_end(start, months),
        terminated_on=terminated_on,
        state=state,
    )


def enterprise():
    """A verified enterprise with one member user (the seeded leading industries are reused)."""
    from accounts.enums import Role
    from enterprises.models import Enterprise, EnterpriseMember, Industry
    from tests.factories.accounts import UserFactory

    n = next(_ENT_SEQ)
    industry = Industry.objects.order_by("pk").first() or Industry.objects.create(
        code="pharma", name="医药健康"
    )
    ent = Enterprise.objects.create(
        name=f"北京昌平测试科技有限公司{n}-{Enterprise.objects.count()}",
        uscc=f"91110114MB{n:08d}"[:18],
        registered_address="北京市昌平区",
        industry=industry,
        size="small",
        contact_name="陈",
        contact_phone="13800000000",
        contact_email=f"e{n}@example.cn",
        state="verified",
    )
    user = UserFactory(roles=[Role.ENTERPRISE])
    EnterpriseMember.objects.create(enterprise=ent, user=user, is_admin=True)
    return ent, user


_ENT_SEQ = itertools.count(1)


def ensure_reference_data():
    """Put back the reference rows the data migrations load (disciplines, institutions, industries, policy
    2.0) when a transactional test's flush removed them: tests must not depend on which transactional
    test ran before them or on whether pytest-django restored its serialized copy."""
    from importlib import import_module

    from django.apps import apps

    from enterprises.models import Industry
    from experts.models import Discipline

    if not Discipline.objects.exists():
        import_module("experts.migrations.0003_load_reference_data").load(apps, None)
    if not Industry.objects.exists():
        import_module("enterprises.migrations.0002_load_industries").load(apps, None)
    ensure_policy_2_0()


def policy_version(code: str, effective_from, **overrides):
    """A policy version in force from `effective_from` with policy 2.0's terms but for `overrides`."""
    v2 = PolicyVersion.objects.get(code="2.0")
    fields = {f.name: getattr(v2, f.name) for f in PolicyVersion._meta.concrete_fields if f.name != "id"}
    fields.update({"code": code, "title": code, "effective_from": effective_from, **overrides})
    return PolicyVersion.objects.create(**fields)


def ensure_policy_2_0():
    """Put back the policy 2.0 row that migration subsidies/0002 seeds: a transactional test's flush
    removes rows that migrations created."""
    from importlib import import_module

    from subsidies.models import PolicyVersion

    seed = import_module("subsidies.migrations.0002_policy_2_0")
    if not PolicyVersion.objects.filter(code="2.0").exists():
        PolicyVersion.objects.create(**seed.POLICY_2_0)
