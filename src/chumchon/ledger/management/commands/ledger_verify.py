"""`chumchon ledger_verify [--book CODE]`: recompute every account's totals from its posted lines and check that
every posted entry balances. Exit status 1 when anything disagrees (for auditors and monitoring)."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F, Q, Sum
from django.db.models.functions import Round

from chumchon.core.thai.money import to_baht
from chumchon.ledger.models import Account, JournalEntry, Line


class Command(BaseCommand):
    help = "Check the books: stored running totals equal the sum of posted lines; posted entries balance."

    def add_arguments(self, parser):
        parser.add_argument("--book", help="only this book (code)")

    def handle(self, *args, book: str | None = None, **options):
        accounts = Account.objects.all()
        lines = Line.objects.filter(entry__status=JournalEntry.Status.POSTED)
        entries = JournalEntry.objects.filter(status=JournalEntry.Status.POSTED)
        if book:
            accounts, lines, entries = (accounts.filter(book__code=book), lines.filter(book__code=book),
                                        entries.filter(book__code=book))
        # Rounded to the satang in SQL: SQLite adds decimals as floating point.
        sums = {row["account_id"]: (row["d"], row["c"]) for row in
                lines.values("account_id").annotate(d=Round(Sum("debit"), 2), c=Round(Sum("credit"), 2))}
        problems = []
        for a in accounts.select_related("book").iterator():
            d, c = sums.get(a.pk, (0, 0))
            if (a.debit_total, a.credit_total) != (to_baht(d or 0), to_baht(c or 0)):
                problems.append(f"{a.book.code} {a.code}: stored {a.debit_total}/{a.credit_total}, lines {d}/{c}")
        unbalanced = entries.annotate(d=Round(Sum("lines__debit"), 2), c=Round(Sum("lines__credit"), 2)).filter(
            ~Q(d=F("c")) | Q(d__lte=0) | Q(d__isnull=True))
        for e in unbalanced[:100]:
            problems.append(f"entry #{e.pk} ({e.book_id}) does not balance: {e.d} / {e.c}")
        for p in problems:
            self.stdout.write(p)
        if problems:
            raise CommandError(f"บัญชีไม่ตรงกัน {len(problems)} รายการ ({len(problems)} problems found)")
        self.stdout.write(f"OK: {accounts.count()} accounts and {entries.count()} posted entries agree")
