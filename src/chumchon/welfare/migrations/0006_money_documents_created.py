import django.utils.timezone
from django.db import migrations, models

# ``created`` of the money documents goes from auto_now_add to a default (see the models). Nothing changes in the
# database — Python fills the value either way — so this is state only: on SQLite an AlterField would copy each
# table whole for nothing (and drop any trigger on it).
FIELD = models.DateTimeField(default=django.utils.timezone.now, editable=False)


class Migration(migrations.Migration):

    dependencies = [
        ("welfare", "0005_contribution_sheet_partial_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(model_name=model, name="created", field=FIELD)
            for model in ("collectionsheet", "contribution", "grant")
        ]),
    ]
