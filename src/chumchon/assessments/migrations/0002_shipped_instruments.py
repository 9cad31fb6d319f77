from django.db import migrations

from chumchon.assessments.shipped import instruments_install


def load(apps, schema_editor):
    instruments_install(apps.get_model("assessments", "Instrument"), apps.get_model("assessments", "Dimension"),
                        apps.get_model("assessments", "Item"), apps.get_model("assessments", "LevelBand"))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
