import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("welfare", "0007_money_append_only"),
    ]

    operations = [
        # A default instead of auto_now_add: nothing changes in the database, so state only (see 0006).
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(model_name="claim", name="created",
                                  field=models.DateTimeField(default=django.utils.timezone.now, editable=False)),
        ]),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "paid"), _negated=True)
                | models.Q(("entry__isnull", False), models.Q(("voucher_number", ""), _negated=True)),
                name="welfare_claim_paid_has_voucher"),
        ),
    ]
