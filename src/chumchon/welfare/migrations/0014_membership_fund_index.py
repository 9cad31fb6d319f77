import django.db.models.deletion
from django.db import migrations, models

# A member's fund loses its own index: the unique (fund, member number) leads with the fund and answers every
# lookup by it. Dropped by name, the same on both databases, so that SQLite does not copy the member table (and
# lose the triggers on it and on the receipts that read it) for what is only an index.
INDEX = "welfare_membership_fund_id_27b38026"


class Migration(migrations.Migration):

    dependencies = [
        ("welfare", "0013_membership_fillfactor"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="membership",
                    name="fund",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="memberships", to="welfare.fund"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(f"DROP INDEX IF EXISTS {INDEX}",
                                  f"CREATE INDEX {INDEX} ON welfare_membership (fund_id)"),
            ],
        ),
    ]
