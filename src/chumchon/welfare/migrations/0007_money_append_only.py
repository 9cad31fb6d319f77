from django.db import migrations

from chumchon.core.db import run_sql_rule


class Migration(migrations.Migration):
    dependencies = [("welfare", "0006_money_documents_created_receipt_fund"), ("core", "0002_append_only")]

    operations = [run_sql_rule(__file__, "money_append_only")]
