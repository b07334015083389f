"""The loan prime rate (LPR) history since the reform of August 2019.

Values are the PBOC-published LPRs (全国银行间同业拆借中心受权公布, on the 20th of each month, the
next working day when the 20th is not one), as fractions. Only the publications where either rate
changed are listed: a month with no row kept the previous values, and the selectors read "the
latest row on or before a date", so the unchanged months add nothing. Later publications are
added through the LPR page (policies.services.lpr_rate_create).
"""

from decimal import Decimal as D

from django.db import migrations

# (published on, 1-year LPR, 5-year-plus LPR)
LPR_HISTORY = [
    ("2019-08-20", "0.0425", "0.0485"),  # first LPR under the new mechanism
    ("2019-09-20", "0.0420", "0.0485"),
    ("2019-11-20", "0.0415", "0.0480"),
    ("2020-02-20", "0.0405", "0.0475"),
    ("2020-04-20", "0.0385", "0.0465"),
    ("2021-12-20", "0.0380", "0.0465"),
    ("2022-01-20", "0.0370", "0.0460"),
    ("2022-05-20", "0.0370", "0.0445"),
    ("2022-08-22", "0.0365", "0.0430"),
    ("2023-06-20", "0.0355", "0.0420"),
    ("2023-08-21", "0.0345", "0.0420"),
    ("2024-02-20", "0.0345", "0.0395"),
    ("2024-07-22", "0.0335", "0.0385"),
    ("2024-10-21", "0.0310", "0.0360"),
    ("2025-05-20", "0.0300", "0.0350"),
]


def forwards(apps, schema_editor):
    LprRate = apps.get_model("policies", "LprRate")
    for published_on, one_year, five_year_plus in LPR_HISTORY:
        LprRate.objects.create(effective_from=published_on, one_year=D(one_year),
                               five_year_plus=D(five_year_plus))


def backwards(apps, schema_editor):
    LprRate = apps.get_model("policies", "LprRate")
    LprRate.objects.filter(effective_from__in=[row[0] for row in LPR_HISTORY]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("policies", "0003_seed_policy_versions"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
