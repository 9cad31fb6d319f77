from django.db import migrations

from chumchon.welfare.benefit_kinds import STANDARD_KINDS


def load(apps, schema_editor):
    BenefitKind = apps.get_model("welfare", "BenefitKind")
    for order, (code, th, en, account, unit_th, unit_en, health) in enumerate(STANDARD_KINDS, start=1):
        BenefitKind.objects.update_or_create(code=code, defaults={
            "name_th": th, "name_en": en, "expense_account": account, "unit_th": unit_th, "unit_en": unit_en,
            "health_data": health, "order": order})


class Migration(migrations.Migration):
    dependencies = [("welfare", "0002_contributions_benefits")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
