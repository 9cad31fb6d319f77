from django.db import migrations

from chumchon.core.db import run_sql_rule


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [run_sql_rule(__file__, "ledger_rules")]
