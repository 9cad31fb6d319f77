from django.db import migrations

from chumchon.core.db import run_sql_rule


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), ("core", "0002_append_only")]

    operations = [run_sql_rule(__file__, "append_only")]
