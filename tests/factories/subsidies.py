from datetime import date
from decimal import Decimal

import factory

from subsidies.enums import BudgetCategory, PayeeKind
from subsidies.models import BankAccount, Payment, PaymentBatch


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
