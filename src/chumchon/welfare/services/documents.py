"""Document numbers: receipts (RC) and payment vouchers (PV), numbered per fund and fiscal year."""

import datetime

from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.welfare.models import ReceiptSequence


def next_numbers(fund, kind: str, date: datetime.date, count: int = 1) -> list[str]:
    """Reserve ``count`` consecutive numbers, e.g. RC2569-00042, inside the caller's transaction (the sequence
    row is locked, so two treasurers never get the same number)."""
    fiscal_year = fiscal_year_of(date).be_year
    seq, _ = ReceiptSequence.objects.get_or_create(fund=fund, kind=kind, fiscal_year=fiscal_year)
    seq = ReceiptSequence.objects.select_for_update().get(pk=seq.pk)
    first = seq.last_number + 1
    seq.last_number += count
    seq.save(update_fields=["last_number"])
    return [f"{kind}{fiscal_year}-{n:05d}" for n in range(first, first + count)]
