"""The extension limits become policy-version parameters (SPEC §4, issue 15 item 9): a request may ask for
at most `extension_request_max_months`, and a term with its extensions lasts at most `term_max_months`
service months. Policy 2.0 keeps the limits the code had (12 a request, 36 in all)."""

import django.db.models.expressions
from django.db import migrations, models

POLICY_2_0_LIMITS = {"extension_request_max_months": 12, "term_max_months": 36}


def set_2_0(apps, schema_editor):
    PolicyVersion = apps.get_model("subsidies", "PolicyVersion")
    PolicyVersion.objects.filter(code="2.0").update(**POLICY_2_0_LIMITS)


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0007_paid_rows_immutable")]

    operations = [
        migrations.AddField(
            model_name="policyversion",
            name="extension_request_max_months",
            field=models.PositiveSmallIntegerField(default=12, verbose_name="单次延期最长月数"),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="term_max_months",
            field=models.PositiveSmallIntegerField(default=36, verbose_name="服务期含延期最长月数"),
        ),
        migrations.RunPython(set_2_0, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="policyversion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("extension_request_max_months__gte", 1),
                    ("term_max_months__gte", django.db.models.expressions.F("term_months")),
                ),
                name="policyversion_extension_limits_valid",
            ),
        ),
    ]
