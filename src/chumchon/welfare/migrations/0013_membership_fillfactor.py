from django.db import migrations

# A member's row changes with every payment (its paid-through date): at the counter, a collection sheet, and an
# import of history, which moves each member's date once a batch — a million receipts of 10,000 members are
# 200,000 updates. With full pages PostgreSQL writes each new row version elsewhere and adds it to every index
# (five); with room left in the page (fillfactor 80) the new version stays in the page and no index is touched
# (a "HOT" update), three times faster (measured: docs/benchmarks.md, import). New pages only: the rows already
# written move into roomier pages as they change. SQLite has no such setting.


def _fillfactor(value: str | None):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        if value is None:
            schema_editor.execute("ALTER TABLE welfare_membership RESET (fillfactor)")
        else:
            schema_editor.execute(f"ALTER TABLE welfare_membership SET (fillfactor = {value})")
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("welfare", "0012_receipt_key_partial"),
    ]

    operations = [
        migrations.RunPython(_fillfactor("80"), _fillfactor(None), elidable=False),
    ]
