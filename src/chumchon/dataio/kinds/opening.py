"""Opening balances of a fund's books: what each balance-sheet account held on the day the fund starts keeping its
books in Chumchon (cash and bank, loans to members, what it owes, the fund balance by source).

A fund's rows become one journal entry, posted whole or not at all: the debits must equal the credits, every
account must be an asset, liability or fund-balance account of the fund's chart (income and expenses start each
year at zero: their past belongs in the fund balance), one row per account, one date per fund, and no posted entry
may come before that date. Importing the same file again changes nothing and a file with other figures is refused:
opening balances are corrected by reversing the entry (``ledger.services.entry_reverse``), never by overwriting. An
opening entry that has been reversed no longer counts: the corrected file is then posted as a new opening entry,
under the next key of the book (``opening-balances``, then ``opening-balances-2``, …; a reversed entry keeps its key,
which the ledger never gives to other content).
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from chumchon.core.audit import audit_record
from chumchon.core.thai.dates import format_date
from chumchon.dataio import values as v
from chumchon.dataio.kinds.base import Column, Context, Counts, Kind, Row
from chumchon.ledger import services as ledger
from chumchon.ledger.models import Account, AccountType, JournalEntry, Line, Period

KEY = "opening-balances"  # the first opening entry of a book; those posted after a reversal are numbered
BALANCE_SHEET = (AccountType.ASSET, AccountType.LIABILITY, AccountType.NET_ASSETS)
ZERO = Decimal("0.00")
MAX_ROWS = 10_000


def _opening_entries(book):
    """The book's opening entries, reversed or not (never their reversals)."""
    return JournalEntry.objects.filter(Q(idempotency_key=KEY) | Q(idempotency_key__startswith=f"{KEY}-"),
                                       book=book, reverses__isnull=True)


def _next_key(book) -> str:
    """The key of a new opening entry: ``opening-balances`` for the first, then numbered."""
    taken = _opening_entries(book).count()
    return KEY if not taken else f"{KEY}-{taken + 1}"


def _money(value) -> Decimal:
    return v.amount(value, positive=False)


class OpeningBalances(Kind):
    name = "opening-balances"
    title_th = "ยอดยกมาของบัญชีกองทุน"
    title_en = "opening balances of the fund's books"
    batch_size = MAX_ROWS + 1  # a fund's rows are checked together: its entry is posted whole or not at all
    columns = [
        Column("fund_code", "รหัสกองทุน", "fund_code", v.code, example="CM-500203",
               help_th="ไม่กรอกได้เมื่อเลือกกองทุนแล้ว", help_en="may be blank when a fund is chosen"),
        Column("date", "ยอดยกมา ณ วันที่", "date", v.date, required=True, example="01/10/2567",
               help_th="วันแรกที่บันทึกบัญชีในระบบ", help_en="the first day of the books in Chumchon",
               aliases=("วันที่", "as of", "opening date")),
        Column("account_code", "รหัสบัญชี", "account_code", v.code, required=True, example="1101",
               aliases=("เลขที่บัญชี", "account", "account no")),
        Column("account_name", "ชื่อบัญชี", "account_name", v.text, example="เงินสด",
               help_th="ไว้อ่านเท่านั้น ระบบใช้รหัสบัญชี", help_en="for reading only: the code is used",
               aliases=("บัญชี",)),
        Column("debit", "เดบิต", "debit", _money, example="12500.00", aliases=("ยอดเดบิต", "dr")),
        Column("credit", "เครดิต", "credit", _money, example="", aliases=("ยอดเครดิต", "cr")),
    ]

    def check(self, ctx: Context, rows: list[Row]) -> None:
        if ctx.state.get("batches"):
            for row in rows:
                row.problem("", "too_many_rows", f"ไฟล์ยอดยกมามีได้ไม่เกิน {MAX_ROWS:,} แถว",
                            f"an opening-balances file holds at most {MAX_ROWS:,} rows")
            return
        ctx.state["batches"] = 1
        by_fund: dict[int, list[Row]] = defaultdict(list)
        for row in rows:
            fund = ctx.fund_for(row)
            if fund is not None:
                row.values["_fund"] = fund
                by_fund[fund.pk].append(row)
        for fund_rows in by_fund.values():
            self._check_fund(fund_rows[0].values["_fund"], fund_rows)

    def _check_fund(self, fund, rows: list[Row]) -> None:
        book = fund.organisation.book
        accounts = {}
        for account in Account.objects.filter(book=book):
            accounts[account.code] = account
            if account.standard_code:
                accounts.setdefault(account.standard_code, account)
        dates = [r.values["date"] for r in rows if r.values.get("date")]
        date = max(set(dates), key=dates.count) if dates else None
        seen: dict[int, int] = {}
        lines = []
        for row in rows:
            values = row.values
            if values.get("date") and values["date"] != date:
                row.problem("date", "other_date", f"ยอดยกมาของกองทุนหนึ่งต้องเป็นวันเดียวกัน (แถวอื่นใช้ {_be(date)})",
                            f"a fund's opening balances share one date (the other rows say {date})")
            debit, credit = values.get("debit") or ZERO, values.get("credit") or ZERO
            if debit < 0 or credit < 0:
                row.problem("debit" if debit < 0 else "credit", "negative",
                            "จำนวนเงินต้องไม่ติดลบ: ยอดด้านตรงข้ามให้ใส่อีกช่องหนึ่ง",
                            "amounts must not be negative: put the opposite side in the other column")
            elif debit and credit:
                row.problem("credit", "both_sides", "กรอกได้เพียงเดบิตหรือเครดิตอย่างใดอย่างหนึ่ง",
                            "give a debit or a credit, not both")
            elif not debit and not credit and not row.problems:
                row.problem("debit", "no_amount", "ยังไม่ได้กรอกยอดเดบิตหรือเครดิต", "no debit or credit was given")
            code = values.get("account_code")
            account = accounts.get(code) if code else None
            if code and account is None:
                row.problem("account_code", "unknown_account", f"ผังบัญชีของกองทุนไม่มีบัญชีรหัส {code}",
                            f"the fund's chart has no account {code}")
            elif account is not None and account.type not in BALANCE_SHEET:
                row.problem("account_code", "not_balance_sheet",
                            f"บัญชี {account.code} เป็นบัญชีรายได้หรือค่าใช้จ่าย ซึ่งเริ่มปีที่ศูนย์: รวมยอดไว้ในบัญชีทุนของกองทุน",
                            f"account {account.code} is income or expense, which starts each year at zero: put it "
                            "into the fund balance")
            elif account is not None:
                if account.pk in seen:
                    row.problem("account_code", "repeated_account", f"บัญชี {account.code} ซ้ำกับแถวที่ {seen[account.pk]}",
                                f"account {account.code} repeats row {seen[account.pk]}")
                seen[account.pk] = row.number
            if row.ok:
                values["_account"] = account
                lines.append((account.pk, debit, credit))
        recorded = self._recorded(book)
        problem = self._fund_problem(book, date, rows, lines, recorded)
        if problem is not None:
            th, en, code = problem
            for row in rows:
                row.problem("", code, th, en, value="")
            return
        if any(not row.ok for row in rows):
            for row in rows:
                if row.ok:
                    row.problem("", "fund_incomplete", "ยอดยกมาของกองทุนนี้มีปัญหาในแถวอื่น: บันทึกได้ทั้งชุดหรือไม่บันทึกเลย",
                                "this fund's opening balances have problems on other rows: they post whole or not at "
                                "all", value="")
            return
        if recorded == sorted(lines):
            for row in rows:
                row.values["_unchanged"] = True

    def _fund_problem(self, book, date, rows, lines, recorded) -> tuple[str, str, str] | None:
        """What makes the fund's whole set unusable, or None."""
        debits = sum((d for _, d, _ in lines), ZERO)
        credits = sum((c for _, _, c in lines), ZERO)
        if all(r.ok for r in rows) and debits != credits:
            return (f"ยอดเดบิตรวม {debits:,.2f} ไม่เท่ากับยอดเครดิตรวม {credits:,.2f} (ต่างกัน {abs(debits - credits):,.2f})",
                    f"total debits {debits:,.2f} differ from total credits {credits:,.2f} (by "
                    f"{abs(debits - credits):,.2f})", "unbalanced")
        if recorded is not None:
            if all(r.ok for r in rows) and recorded == sorted(lines):
                return None
            return ("บันทึกยอดยกมาของกองทุนนี้ไว้แล้วด้วยตัวเลขอื่น: กลับรายการเดิมก่อน แล้วจึงนำเข้าใหม่",
                    "this fund's opening balances are already recorded with other figures: reverse that entry first",
                    "opening_recorded")
        if date is None:
            return None
        if Period.objects.filter(book=book, status=Period.Status.CLOSED, start__lte=date, end__gte=date).exists():
            return ("วันที่ยอดยกมาอยู่ในงวดบัญชีที่ปิดแล้ว", "the opening date is in a closed period", "closed_period")
        # A reversed opening entry and its reversal cancel out: they are the opening being corrected.
        reversed_opening = _opening_entries(book).filter(reversed_by__isnull=False).values("pk")
        first = (JournalEntry.objects.filter(book=book, status=JournalEntry.Status.POSTED, date__lt=date)
                 .exclude(pk__in=reversed_opening).exclude(reverses__in=reversed_opening)
                 .order_by("date").values_list("date", flat=True).first())
        if first is not None:
            return (f"มีรายการบัญชีก่อนวันที่ยอดยกมาแล้ว (วันที่ {_be(first)}): ยอดยกมาต้องมาก่อนทุกรายการ",
                    f"the books already have entries before the opening date (from {first}): opening balances "
                    "come first", "entries_before")
        return None

    def _recorded(self, book) -> list | None:
        """The lines of the book's opening entry in force (one not reversed), or None."""
        entry = _opening_entries(book).filter(reversed_by__isnull=True).order_by("-pk").first()
        if entry is None:
            return None
        return sorted(Line.objects.filter(entry=entry).values_list("account_id", "debit", "credit"))

    @transaction.atomic
    def write(self, ctx: Context, rows: list[Row]) -> Counts:
        counts = Counts(unchanged=sum(1 for r in rows if r.values.get("_unchanged")))
        by_fund: dict[int, list[Row]] = defaultdict(list)
        for row in rows:
            if not row.values.get("_unchanged"):
                by_fund[row.values["_fund"].pk].append(row)
        for fund_rows in by_fund.values():
            fund, date = fund_rows[0].values["_fund"], fund_rows[0].values["date"]
            lines = [ledger.LineSpec(r.values["_account"], debit=r.values.get("debit") or ZERO,
                                     credit=r.values.get("credit") or ZERO) for r in fund_rows]
            book = fund.organisation.book
            entry = ledger.entry_post(actor=ctx.actor, book=book, date=date, lines=lines,
                                      idempotency_key=_next_key(book), memo=f"ยอดยกมา ณ วันที่ {_be(date)} (นำเข้า)")
            counts.written += len(fund_rows)
            audit_record(actor=ctx.actor, action="dataio.import_opening_balances", obj=entry,
                         summary=f"{fund.code}: {len(fund_rows)} accounts on {date.isoformat()}",
                         organisation=fund.organisation)
        return counts


def _be(day) -> str:
    return format_date(day, "numeric")
