from django.db import migrations

from chumchon.core.db import run_sql_rule


class Migration(migrations.Migration):
    dependencies = [("welfare", "0008_claims_paid_have_vouchers"), ("core", "0002_append_only")]

    operations = [run_sql_rule(__file__, "claims_final")]
