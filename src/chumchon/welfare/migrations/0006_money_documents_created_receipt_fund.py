import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

# ``created`` of the money documents goes from auto_now_add to a default (see the models). Nothing changes in the
# database — Python fills the value either way — so this is state only: on SQLite an AlterField would copy each
# table whole for nothing (and drop any trigger on it). Then the receipt's own key to the fund goes (see below).
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
        # A receipt's fund is checked through its member and its entry (0010), not by a key of its own. Here,
        # before the triggers of 0007: on SQLite this rebuilds the table, which would drop them.
        migrations.AlterField(
            model_name="contribution",
            name="fund",
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="contributions", to="welfare.fund"),
        ),
    ]
