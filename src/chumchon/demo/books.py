"""Two years of realistic postings for each demo fund's book, with FY 2568 and FY 2569 closed.

Every entry goes through the ledger services (so every invariant and audit row applies) with a deterministic
idempotency key; a book that already has entries is left alone, so `chumchon demo` stays idempotent.
"""

import datetime
import random
from decimal import Decimal

from chumchon.core.thai.fiscal import FiscalYear
from chumchon.ledger import services
from chumchon.ledger.models import Book
from chumchon.ledger.services import LineSpec

FIRST_FY, CLOSED_FYS = 2568, (2568, 2569)
TODAY = datetime.date(2026, 11, 25)


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))


class _Poster:
    def __init__(self, actor, book: Book):
        self.actor, self.book, self.n = actor, book, 0
        self.cash = Decimal("0.00")  # what the treasurer has in hand (account 1101)

    def post(self, date: datetime.date, memo: str, lines: list[LineSpec], reference: str = "") -> None:
        self.n += 1
        services.entry_post(actor=self.actor, book=self.book, date=date, memo=memo, lines=lines,
                            idempotency_key=f"demo-{self.book.code}-{self.n:05d}", reference=reference)
        for line in lines:
            if line.account == "1101":
                self.cash += Decimal(line.debit) - Decimal(line.credit)

    def pay(self, date: datetime.date, memo: str, expense: str, amount: Decimal) -> None:
        """Pay from cash in hand when there is enough, otherwise by bank transfer."""
        source = "1101" if self.cash >= amount else "1102"
        self.post(date, memo, [LineSpec(expense, debit=amount), LineSpec(source, credit=amount)])


def post_demo_books(*, actor, book: Book, members: int, villages: int, rng: random.Random) -> int:
    """Post the demo history of one fund's book; returns the number of entries (0 when it had some already)."""
    if book.entries.exists():
        return 0
    p = _Poster(actor, book)
    start = FiscalYear(FIRST_FY).start
    opening = _money(members * 365 * rng.uniform(2.0, 4.0))
    government = _money(opening * Decimal("0.3"))
    p.post(start, "ยอดยกมาต้นปีงบประมาณ 2568", [
        LineSpec("1101", debit=_money(float(opening + government) * 0.1)),
        LineSpec("1102", debit=opening + government - _money(float(opening + government) * 0.1)),
        LineSpec("3101", credit=opening), LineSpec("3102", credit=government),
    ], reference="OB-2568")
    per_village = [max(3, members // villages + rng.randint(-5, 5)) for _ in range(villages)]
    month_start = start
    receipt = 0
    while month_start <= TODAY:
        fy = month_start.year + 543 + (1 if month_start.month >= 10 else 0)
        collection_day = month_start.replace(day=min(5 + rng.randint(0, 3), 28))
        if collection_day > TODAY:
            break
        month_total = Decimal("0.00")
        for village, count in enumerate(per_village, start=1):
            paying = max(1, int(count * rng.uniform(0.82, 0.97)))
            amount = Decimal(paying * 30)
            receipt += 1
            p.post(collection_day, f"เงินสมทบสมาชิกหมู่ {village} เดือน {month_start:%m}/{fy}",
                   [LineSpec("1101", debit=amount), LineSpec("4101", credit=amount)], reference=f"RC{fy}-{receipt:05d}")
            month_total += amount
        deposit = max(Decimal("0.00"), min(_money(float(month_total) * 0.7), p.cash - Decimal(2000)))
        if deposit > 0:
            p.post(collection_day + datetime.timedelta(days=1), "นำเงินสดฝากธนาคาร",
                   [LineSpec("1102", debit=deposit), LineSpec("1101", credit=deposit)])
        day = collection_day + datetime.timedelta(days=2)
        for _ in range(rng.randint(1, 4)):
            nights = rng.randint(1, 3)
            amount = Decimal(min(nights * 200, 600))
            p.pay(day, f"สวัสดิการนอนโรงพยาบาล {nights} คืน", "5103", amount)
        if rng.random() < 0.35:
            amount = Decimal(rng.choice([3000, 5000, 10000]))
            p.post(day, "สวัสดิการเสียชีวิต (ฌาปนกิจ)", [LineSpec("5105", debit=amount), LineSpec("1102", credit=amount)])
        if rng.random() < 0.3:
            p.pay(day, "สวัสดิการคลอดบุตร", "5101", Decimal(500))
        admin = _money(float(month_total) * 0.05)
        p.pay(month_start.replace(day=25), "ค่าบริหารจัดการ (ค่าเอกสาร ค่าเดินทางกรรมการ)", "5301", admin)
        if month_start.month == 5:
            amount = Decimal(500 * rng.randint(4, 12))
            p.post(month_start.replace(day=15), "ทุนการศึกษาบุตรสมาชิก",
                   [LineSpec("5102", debit=amount), LineSpec("1102", credit=amount)])
        if month_start.month == 1:
            grant = Decimal(members * 365)
            p.post(month_start.replace(day=20), "เงินสมทบจากรัฐบาลผ่าน พอช.",
                   [LineSpec("1102", debit=grant), LineSpec("4201", credit=grant)], reference=f"CODI-{fy}")
            pensions = Decimal(200 * max(3, members // 12))
            p.post(month_start.replace(day=22), "บำนาญผู้สูงอายุประจำปี",
                   [LineSpec("5201", debit=pensions), LineSpec("1102", credit=pensions)])
        if month_start.month == 3:
            local = Decimal(rng.choice([10000, 20000, 30000]))
            p.post(month_start.replace(day=10), "เงินสมทบจาก อปท.",
                   [LineSpec("1102", debit=local), LineSpec("4202", credit=local)])
        if month_start.month in (6, 12):
            interest = _money(float(opening) * 0.0025)
            p.post(month_start.replace(day=21), "ดอกเบี้ยเงินฝากออมทรัพย์",
                   [LineSpec("1102", debit=interest), LineSpec("4401", credit=interest)])
        month_start = (month_start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    for fy in CLOSED_FYS:
        if FiscalYear(fy).end < TODAY:
            services.period_close(actor=actor, book=book, fiscal_year=fy)
    return p.n
