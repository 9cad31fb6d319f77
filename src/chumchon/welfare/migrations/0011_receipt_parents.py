import django.db.models.deletion
from django.db import migrations, models

from chumchon.core.db import run_sql_rule, sqlite_rules_restored

# A receipt's member and journal entry lose their foreign keys: money_belongs (0010) already checks, set-based,
# that they exist and are the fund's own; money_parents keeps them from being removed while receipts name them
# (see the model). On SQLite each AlterField copies the table, without its triggers: they are made again after.
RECEIPT_RULES = ("money_append_only", "money_belongs")


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0001_initial"),
        ("welfare", "0010_money_belongs"),
    ]

    operations = [
        sqlite_rules_restored(__file__, RECEIPT_RULES, "welfare_contribution", when="backward"),
        migrations.AlterField(
            model_name="contribution",
            name="membership",
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="contributions", to="welfare.membership"),
        ),
        migrations.AlterField(
            model_name="contribution",
            name="entry",
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="contributions", to="ledger.journalentry"),
        ),
        sqlite_rules_restored(__file__, RECEIPT_RULES, "welfare_contribution"),
        run_sql_rule(__file__, "money_parents"),
    ]
