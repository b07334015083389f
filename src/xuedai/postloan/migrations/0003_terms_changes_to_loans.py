"""Copy the approved chosen plans, confirmed suspensions and confirmed deaths into the loans-owned
terms-change table (loans 0005), which the engine reads from now on."""

from django.db import migrations


def copy_forward(apps, schema_editor):
    PlanChange = apps.get_model("postloan", "PlanChange")
    StatusChange = apps.get_model("postloan", "StatusChange")
    TermsChange = apps.get_model("loans", "TermsChange")
    rows = []
    for change in PlanChange.objects.filter(status="approved", kind="plan").exclude(instalments=[]):
        rows.append(TermsChange(contract_id=change.contract_id, kind="chosen_plan", instalments=change.instalments,
                                decided_at=change.decided_at, source=f"还款计划变更 #{change.pk}",
                                recorded_by_id=change.decided_by_id))
    for change in StatusChange.objects.filter(status="approved", kind__in=["suspension", "death"]):
        rows.append(TermsChange(contract_id=change.contract_id, kind=change.kind, starts_on=change.handled_on,
                                ends_on=change.returned_on if change.kind == "suspension" else None,
                                decided_at=change.decided_at, source=f"学籍变动 #{change.pk}",
                                recorded_by_id=change.decided_by_id))
    TermsChange.objects.bulk_create(rows, batch_size=1000)


def copy_back(apps, schema_editor):
    apps.get_model("loans", "TermsChange").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("postloan", "0002_servicing"),
        ("loans", "0005_terms_changes"),
    ]

    operations = [migrations.RunPython(copy_forward, copy_back)]
