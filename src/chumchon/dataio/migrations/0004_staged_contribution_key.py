from django.db import migrations, models

import chumchon.dataio.models


def unlogged(apps, schema_editor):
    """Staged rows are scratch space: on PostgreSQL they skip the write-ahead log (a crash empties the table and
    the import's write goes back to reading the file)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE dataio_stagedcontribution SET UNLOGGED")


class Migration(migrations.Migration):
    """The staging table again, keyed by one integer (job << 32 | row) instead of (job, row). Its rows are
    scratch: a job whose staged rows are dropped here writes by reading its file again (nothing is lost)."""

    dependencies = [
        ('dataio', '0003_staged_contributions'),
    ]

    operations = [
        migrations.DeleteModel(name='StagedContribution'),
        migrations.CreateModel(
            name='StagedContribution',
            fields=[
                ('key', chumchon.dataio.models.RowidKey(primary_key=True, serialize=False)),
                ('fund_id', models.BigIntegerField()),
                ('membership_id', models.BigIntegerField()),
                ('receipt_number', models.CharField(max_length=20)),
                ('fiscal_year', models.PositiveSmallIntegerField()),
                ('date', models.DateField()),
                ('satang', models.BigIntegerField()),
                ('days', models.PositiveIntegerField()),
                ('covers_from', models.DateField()),
                ('covers_to', models.DateField()),
                ('unchanged', models.BooleanField(default=False)),
            ],
        ),
        migrations.RunPython(unlogged, migrations.RunPython.noop, elidable=False),
    ]
