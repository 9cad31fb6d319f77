"""Entry numbers (เลขที่รายการ): every posted entry gets one, per book and fiscal year, from the posting trigger
(``ledger/sql/entry_numbers.*``). Entries posted before are numbered here in the order they were posted (row id)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from chumchon.core.db import run_sql_rule

# Each posted entry's number: its place in row-id order among its book's entries of the same B.E. fiscal year
# (October starts the next one).
_NUMBER_POSTED = {
    "postgresql": (
        "UPDATE ledger_journalentry SET fiscal_year = n.fy, number = n.number FROM ("
        " SELECT id, fy, ROW_NUMBER() OVER (PARTITION BY book_id, fy ORDER BY id) AS number FROM ("
        "  SELECT id, book_id, EXTRACT(YEAR FROM date)::integer + 543"
        "   + CASE WHEN EXTRACT(MONTH FROM date) >= 10 THEN 1 ELSE 0 END AS fy"
        "  FROM ledger_journalentry WHERE status = 'posted') x"
        ") n WHERE ledger_journalentry.id = n.id"
    ),
    "sqlite": (
        "UPDATE ledger_journalentry SET fiscal_year = n.fy, number = n.number FROM ("
        " SELECT id, fy, ROW_NUMBER() OVER (PARTITION BY book_id, fy ORDER BY id) AS number FROM ("
        "  SELECT id, book_id, CAST(substr(date, 1, 4) AS INTEGER) + 543"
        "   + (CAST(substr(date, 6, 2) AS INTEGER) >= 10) AS fy"
        "  FROM ledger_journalentry WHERE status = 'posted') x"
        ") n WHERE ledger_journalentry.id = n.id"
    ),
}


def number_posted_entries(apps, schema_editor):
    """Number the entries already posted (1, 2, 3 … in row-id order per book and fiscal year) and start each
    sequence at the last. The ledger's rules refuse any change to a posted entry: on PostgreSQL its guard and
    balance triggers are switched off for this one statement; on SQLite the posted-entry guard is dropped (the rule
    installed next makes it again, letting the numbering trigger through)."""
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE ledger_journalentry DISABLE TRIGGER ledger_entry_guard,"
                           " DISABLE TRIGGER ledger_entry_balance_check")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS ledger_entry_posted_guard")
        cursor.execute(_NUMBER_POSTED[vendor])
        cursor.execute(
            "INSERT INTO ledger_entrysequence (book_id, fiscal_year, last) SELECT book_id, fiscal_year, MAX(number)"
            " FROM ledger_journalentry WHERE number IS NOT NULL GROUP BY book_id, fiscal_year")
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE ledger_journalentry ENABLE TRIGGER ledger_entry_guard,"
                           " ENABLE TRIGGER ledger_entry_balance_check")


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0002_ledger_rules'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EntrySequence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('fiscal_year', models.PositiveSmallIntegerField(verbose_name='fiscal year (B.E.)')),
                ('last', models.PositiveIntegerField(verbose_name='last number')),
            ],
            options={
                'verbose_name': 'entry number sequence',
                'verbose_name_plural': 'entry number sequences',
            },
        ),
        migrations.AddField(
            model_name='journalentry',
            name='fiscal_year',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name='fiscal year (B.E.)'),
        ),
        migrations.AddField(
            model_name='journalentry',
            name='number',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='entry number'),
        ),
        migrations.AddConstraint(
            model_name='journalentry',
            constraint=models.UniqueConstraint(condition=models.Q(('number__isnull', False)), fields=('book', 'fiscal_year', 'number'), name='ledger_entry_number_in_book'),
        ),
        migrations.AddField(
            model_name='entrysequence',
            name='book',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.book'),
        ),
        migrations.AddConstraint(
            model_name='entrysequence',
            constraint=models.UniqueConstraint(fields=('book', 'fiscal_year'), name='ledger_entry_sequence_unique'),
        ),
        migrations.RunPython(number_posted_entries, migrations.RunPython.noop, elidable=False),
        run_sql_rule(__file__, "entry_numbers"),
    ]
