"""The seeded versions' 依据 wrote "LPR−60BP"; the notices themselves say 减60个基点, and users read
this text on the policy page (the site speaks Chinese)."""

import re

from django.db import migrations

BASIS_POINTS = re.compile(r"LPR\s*[−-]\s*(\d+)\s*BP")


def reword(apps, schema_editor):
    PolicyVersion = apps.get_model("policies", "PolicyVersion")
    for version in PolicyVersion.objects.filter(source__contains="BP"):
        version.source = BASIS_POINTS.sub(r"LPR减\1个基点", version.source)
        version.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [("policies", "0007_source_without_internal_references")]
    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
