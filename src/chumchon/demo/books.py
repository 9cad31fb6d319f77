"""Two years of realistic fund life for each demo fund, through the real services: members' yearly
contributions on collection sheets by village, deposits, matching grants, hospital, newborn, funeral and
scholarship claims decided by a second person and paid with vouchers, the elderly pension batch, interest,
administration costs — over the two fiscal years before today's, both closed, then the current fiscal year up to
today (contributions for it are due, so members owe).

Deterministic keys and a fixed seed; a fund whose book already has entries is left alone (idempotent).
"""

import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError

from chumchon.core.thai.fiscal import FiscalYear, fiscal_year_of
from chumchon.ledger import services as ledger
from chumchon.ledger.models import Account
from chumchon.ledger.services import LineSpec
from chumchon.welfare import services as welfare
from chumchon.welfare.models import BenefitKind, Membership

D = datetime.date


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))


class _Fund:
    def __init__(self, actor, reviewer, fund, rng: random.Random, today: datetime.date):
        self.actor, self.reviewer, self.fund, self.rng, self.today = actor, reviewer, fund, rng, today
        self.book = fund.organisation.book
        self.n = 0
        self.kinds = {k.code: k for k in BenefitKind.objects.all()}

    def key(self, what: str) -> str:
        self.n += 1
        return f"demo-{self.fund.code}-{what}-{self.n:05d}"

    def post(self, date, memo, lines, reference=""):
        ledger.entry_post(actor=self.actor, book=self.book, date=date, memo=memo, lines=lines,
                          idempotency_key=self.key("je"), reference=reference)

    def cash(self) -> Decimal:
        return Account.objects.get(book=self.book, code="1101").balance

    def active(self) -> list[Membership]:
        return list(Membership.objects.filter(fund=self.fund, status=Membership.Status.ACTIVE)
                    .select_related("person", "fund"))

    def claim(self, membership, kind: str, date, units=1, beneficiary=None) -> None:
        claim = welfare.claim_submit(actor=self.actor, membership=membership, kind=self.kinds[kind], event_date=date,
                                     units=units, beneficiary=beneficiary, consent=True,
                                     idempotency_key=self.key("claim"))
        if not claim.eligible:
            welfare.claim_decide(actor=self.reviewer, claim=claim, approve=False, reason="ไม่เป็นไปตามระเบียบกองทุน")
            return
        welfare.claim_decide(actor=self.reviewer, claim=claim, approve=True)
        try:
            welfare.claim_pay(actor=self.actor, claim=claim, date=date + datetime.timedelta(days=2),
                              cash_account="1101" if self.cash() >= claim.amount else "1102")
        except ValidationError:
            pass  # not enough money of its source: stays approved, waiting for money (a real situation)


def post_demo_history(*, actor, reviewer, fund, rng: random.Random, today: datetime.date) -> int:
    """Returns the number of journal entries posted (0 when the fund's book already had some)."""
    if fund.organisation.book.entries.exists():
        return 0
    f = _Fund(actor, reviewer, fund, rng, today)
    current = fiscal_year_of(today)
    closed_years = (current.be_year - 2, current.be_year - 1)
    welfare.typical_rules_set(actor=actor, fund=fund, effective_from=fund.founded_on or D(2010, 1, 1))
    # the example fund's regulations (Umong): contributions refunded to a member who resigns without a benefit
    welfare.fund_settings_update(actor=actor, fund=fund, refund_on_resignation=True)
    start = FiscalYear(closed_years[0]).start
    members = f.active()
    for m in members:  # history before Chumchon: paid up to the end of FY 2567, as the fund's register shows
        if m.joined_on <= start:
            welfare.opening_paid_through_set(actor=actor, membership=m, paid_through=start - datetime.timedelta(days=1))
    opening = _money(len(members) * 365 * rng.uniform(2.0, 4.0))
    government = _money(opening * Decimal("0.3"))
    in_hand = _money(float(opening + government) * 0.05)
    f.post(start, f"ยอดยกมาต้นปีงบประมาณ {closed_years[0]}", [
        LineSpec("1101", debit=in_hand), LineSpec("1102", debit=opening + government - in_hand),
        LineSpec("3101", credit=opening), LineSpec("3102", credit=government)], reference=f"OB-{closed_years[0]}")
    for fy in closed_years:
        _year(f, FiscalYear(fy))
    _months(f, current.start, today)  # the current year so far: benefits go on, contributions are due
    for fy in closed_years:
        ledger.period_close(actor=actor, book=f.book, fiscal_year=fy)
    _corrections(f, current)
    return f.book.entries.count()


def _corrections(f: _Fund, current: FiscalYear) -> None:
    """What a real year holds besides: a receipt taken from the wrong member and cancelled, a member who resigned
    and was refunded (the fund's regulations allow it), a benefit paid twice and its second payment cancelled."""
    from chumchon.welfare.models import Claim

    day = max(current.start, f.today - datetime.timedelta(days=3))
    benefited = set(Claim.objects.filter(fund=f.fund, status="paid").values_list("membership_id", flat=True))
    members = [m for m in f.active() if m.joined_on < day]
    if not members:
        return
    wrong = welfare.contribution_receive(actor=f.actor, membership=f.rng.choice(members), amount=30, date=day,
                                         idempotency_key=f.key("mistake"))
    welfare.contribution_void(actor=f.actor, contribution=wrong, reason="รับเงินผิดคน เงินเป็นของสมาชิกอีกคน",
                              idempotency_key=f.key("void"))
    leaving = [m for m in members if m.pk not in benefited and m.pk != wrong.membership_id]
    if leaving:
        member = f.rng.choice(leaving)
        welfare.membership_end(actor=f.actor, membership=member, status="resigned", on=day,
                               reason="ย้ายไปอยู่กับบุตรต่างจังหวัด")
        total, _receipts, refusal = welfare.refund_due(member)
        if refusal is None and Account.objects.get(book=f.book, code="1102").balance >= total:  # by bank transfer
            welfare.contribution_refund(actor=f.actor, membership=member, date=day, idempotency_key=f.key("refund"),
                                        cash_account="1102")
    twice = (Claim.objects.filter(fund=f.fund, status="paid", kind__code="hospital", entry__date__gte=current.start)
             .order_by("-entry__date", "-pk").first())
    if twice is not None:
        welfare.claim_payment_void(actor=f.actor, claim=twice, reason="จ่ายซ้ำกับใบสำคัญจ่ายก่อนหน้า ได้รับเงินคืนแล้ว",
                                   idempotency_key=f.key("claim-void"))


def _year(f: _Fund, fy: FiscalYear) -> None:
    collection_day = fy.start.replace(day=5)
    by_village: dict[int, list[Membership]] = {}
    for m in f.active():
        if m.joined_on <= collection_day:  # who had joined by collection day
            by_village.setdefault(m.village_number or 1, []).append(m)
    for village, members in sorted(by_village.items()):
        paying = [m for m in members if f.rng.random() < 0.9]
        if paying:
            welfare.collection_sheet_post(
                actor=f.actor, fund=f.fund, date=collection_day, village_number=village, idempotency_key=f.key("sheet"),
                payments=[welfare.SheetPayment(m, Decimal(365) * m.fund.daily_rate) for m in paying])
    _months(f, fy.start, fy.end)


def _months(f: _Fund, start: datetime.date, end: datetime.date) -> None:
    month = start
    while month <= min(end, f.today):
        rng = f.rng
        deposit = f.cash() - Decimal(3000)
        if deposit > 0:
            f.post(month.replace(day=8), "นำเงินสดฝากธนาคาร",
                   [LineSpec("1102", debit=deposit), LineSpec("1101", credit=deposit)])
        day = month.replace(day=12)
        if day <= f.today:
            members = [m for m in f.active() if m.joined_on <= day]
            for _ in range(rng.randint(1, 3)):
                f.claim(rng.choice(members), "hospital", day, units=rng.randint(1, 4))
            if rng.random() < 0.3:
                f.claim(rng.choice(members), "newborn", day)
            if rng.random() < 0.15:
                deceased = rng.choice(members)
                f.claim(deceased, "funeral", day)  # paying it ends the membership
            admin = _money(float(Account.objects.get(book=f.book, code="4101").balance) * 0.002 + 150)
            if f.cash() >= admin:
                f.post(month.replace(day=25), "ค่าบริหารจัดการ (ค่าเอกสาร ค่าเดินทางกรรมการ)",
                       [LineSpec("5301", debit=admin), LineSpec("1101", credit=admin)])
            if month.month == 5:
                for m in rng.sample(members, k=min(5, len(members))):
                    f.claim(m, "school", day)
            if month.month == 1:
                matched = len([m for m in f.active() if m.joined_on <= month.replace(day=20)])  # members that day
                welfare.grant_receive(actor=f.actor, fund=f.fund, source="government", date=month.replace(day=20),
                                      amount=Decimal(matched * 365), members_covered=matched,
                                      idempotency_key=f.key("grant"), reference=f"CODI-{month.year + 543}")
                batch_day = month.replace(day=22)
                welfare.pension_batch_prepare(actor=f.actor, fund=f.fund, date=batch_day)
                _approve_batch(f, batch_day)
            if month.month == 3:
                welfare.grant_receive(actor=f.actor, fund=f.fund, source="local", date=month.replace(day=10),
                                      amount=Decimal(rng.choice([10000, 20000, 30000])), idempotency_key=f.key("grant"),
                                      reference="อบต.")
            if month.month in (6, 12):
                interest = _money(float(Account.objects.get(book=f.book, code="1102").balance) * 0.0025)
                if interest > 0:
                    f.post(month.replace(day=21), "ดอกเบี้ยเงินฝากออมทรัพย์",
                           [LineSpec("1102", debit=interest), LineSpec("4401", credit=interest)])
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _approve_batch(f: _Fund, date: datetime.date) -> None:
    from chumchon.welfare.models import Claim

    for claim in Claim.objects.filter(fund=f.fund, batch=f"pension-{date.isoformat()}", status="submitted"):
        welfare.claim_decide(actor=f.reviewer, claim=claim, approve=True)
        try:
            welfare.claim_pay(actor=f.actor, claim=claim, date=date, cash_account="1102")
        except ValidationError:
            pass
