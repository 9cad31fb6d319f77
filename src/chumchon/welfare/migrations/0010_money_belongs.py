from django.db import migrations

from chumchon.core.db import run_sql_rule


class Migration(migrations.Migration):
    dependencies = [("welfare", "0009_claims_final"), ("ledger", "0001_initial")]

    operations = [run_sql_rule(__file__, "money_belongs")]
