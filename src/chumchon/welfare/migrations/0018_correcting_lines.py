from django.db import migrations

from chumchon.core.db import run_sql_rule


class Migration(migrations.Migration):
    """The database checks the lines of a receipt's cancellation, a refund and a payment's cancellation, not only
    their totals (sql/correcting_lines)."""

    dependencies = [
        ('welfare', '0017_claim_payment_voids'),
    ]

    operations = [
        run_sql_rule(__file__, "correcting_lines"),
    ]
