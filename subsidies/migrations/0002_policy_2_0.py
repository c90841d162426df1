"""Seed policy 2.0 (昌平区“科技副总”柔性引才工作实施意见（2.0版）, section 五(二), 六(二)).

The policy text carries no date; the effective date 2023-01-01 is a placeholder earlier than any
appointment in the portal, which staff correct in the admin if the district fixes another.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

POLICY_2_0 = {
    "code": "2.0",
    "title": "昌平区“科技副总”柔性引才工作实施意见（2.0版）",
    "effective_from": date(2023, 1, 1),
    "project_subsidy_rate": Decimal("0.5000"),
    "project_subsidy_cap": Decimal("300000.00"),
    "social_science_cap": Decimal("100000.00"),
    "monthly_allowance": Decimal("2000.00"),
    "enterprise_matching": Decimal("2000.00"),
    "term_months": 24,
    "management_fee_ceiling_rate": Decimal("0.0500"),
    "award_first": Decimal("200000.00"),
    "award_second": Decimal("100000.00"),
    "award_third": Decimal("50000.00"),
}


def seed(apps, schema_editor):
    PolicyVersion = apps.get_model("subsidies", "PolicyVersion")
    PolicyVersion.objects.get_or_create(code=POLICY_2_0["code"], defaults=POLICY_2_0)


def unseed(apps, schema_editor):
    apps.get_model("subsidies", "PolicyVersion").objects.filter(code="2.0").delete()


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
