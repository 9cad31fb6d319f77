from django.db import migrations, models

from chumchon.core.db import sqlite_rule_set_aside, sqlite_rules_restored

# An imported receipt has no idempotency key of its own (NULL): fund + receipt number is its natural key, already
# unique. The key's unique index becomes partial, holding only receipts that have a key (counter payments and
# collection sheets). Receipts imported before keep theirs (the table is append-only). On SQLite the AlterField
# copies the table without its triggers: they are made again after (see 0011); money_parents, whose triggers on
# the members and journal entries read the receipts, is set aside while the copy takes the table's name.
RECEIPT_RULES = ("money_append_only", "money_belongs")
PARENTS_OFF, PARENTS_ON = sqlite_rule_set_aside(__file__, "money_parents")


def _no_receipt_without_key(apps, schema_editor):
    """Unapplying needs every receipt to have a key again; receipts are never rewritten, so say so instead of
    failing on NOT NULL halfway."""
    Contribution = apps.get_model("welfare", "Contribution")
    without = Contribution.objects.filter(idempotency_key__isnull=True).count()
    if without:
        raise RuntimeError(f"ย้อนการย้ายข้อมูลนี้ไม่ได้: มีใบเสร็จ {without:,} ใบที่ไม่มีคีย์ (นำเข้าหลังการย้ายข้อมูลนี้) / "
                           f"cannot unapply: {without:,} receipts have no idempotency key (imported after this "
                           "migration) and receipts are never rewritten")


class Migration(migrations.Migration):

    dependencies = [
        ("welfare", "0011_receipt_parents"),
    ]

    operations = [
        # On SQLite both the RemoveConstraint and the AlterField copy the table.
        PARENTS_OFF,
        sqlite_rules_restored(__file__, RECEIPT_RULES, "welfare_contribution", when="backward"),
        migrations.RemoveConstraint(
            model_name="contribution",
            name="welfare_contribution_key_unique",
        ),
        migrations.AlterField(
            model_name="contribution",
            name="idempotency_key",
            field=models.CharField(blank=True, max_length=100, null=True),
        ),
        sqlite_rules_restored(__file__, RECEIPT_RULES, "welfare_contribution"),
        PARENTS_ON,
        migrations.AddConstraint(
            model_name="contribution",
            constraint=models.UniqueConstraint(condition=models.Q(("idempotency_key__isnull", False)),
                                               fields=("fund", "idempotency_key"),
                                               name="welfare_contribution_key_unique"),
        ),
        # Last, so that unapplying asks first.
        migrations.RunPython(migrations.RunPython.noop, _no_receipt_without_key, elidable=False),
    ]
