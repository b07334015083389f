"""The seeded versions' 依据 text ended with a reference to the developers' DOMAIN.md, which users
read on the policy page; the notices themselves are the source they need."""

import re

from django.db import migrations

INTERNAL = re.compile(r"\s*DOMAIN\.md\s*§[\d.]+(?:[、,，]\s*§[\d.]+)*。?")


def strip(apps, schema_editor):
    PolicyVersion = apps.get_model("policies", "PolicyVersion")
    for version in PolicyVersion.objects.filter(source__contains="DOMAIN.md"):
        version.source = INTERNAL.sub("", version.source).rstrip()
        version.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [("policies", "0006_working_day_overrides")]
    operations = [migrations.RunPython(strip, migrations.RunPython.noop)]
