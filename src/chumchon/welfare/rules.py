"""The benefit rule engine: judges a claim under the rule in force on the event date and explains itself line
by line, in Thai and English ("member for 214 days, rule needs 180: met; 2 nights × 200 = 400; year's cap 1,000,
used 600: pays 400"). Pure: every figure it needs is passed in, so it is tested with hand-made examples."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from chumchon.core.thai.dates import format_date
from chumchon.core.thai.money import format_baht

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Reason:
    th: str
    en: str
    ok: bool = True

    def to_dict(self) -> dict:
        return {"th": self.th, "en": self.en, "ok": self.ok}


@dataclass
class Decision:
    eligible: bool = True
    amount: Decimal = ZERO
    reasons: list[Reason] = field(default_factory=list)

    def add(self, th: str, en: str, ok: bool = True) -> None:
        self.reasons.append(Reason(th, en, ok))
        if not ok:
            self.eligible = False

    @property
    def text_th(self) -> str:
        return "; ".join(r.th for r in self.reasons)

    @property
    def text_en(self) -> str:
        return "; ".join(r.en for r in self.reasons)


@dataclass(frozen=True)
class ClaimFacts:
    """What the engine needs to know about the claim and the member."""

    event_date: datetime.date
    joined_on: datetime.date
    membership_status: str
    days_in_arrears: int
    units: Decimal = Decimal(1)
    beneficiary_is_member: bool = True
    beneficiary_is_dependant: bool = False
    beneficiary_birth_date: datetime.date | None = None
    paid_this_year: Decimal = ZERO  # already paid under this kind in the event's fiscal year
    paid_lifetime: Decimal = ZERO  # already paid under this kind to this beneficiary, ever


def _b(amount: Decimal) -> str:
    return format_baht(amount).removesuffix(".00")


def _years_between(start: datetime.date, end: datetime.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(0, years)


def evaluate(rule, facts: ClaimFacts) -> Decision:
    """Judge one claim. ``rule`` is the BenefitRule in force on the event date (or None)."""
    d = Decision()
    if rule is None or not rule.is_offered:
        d.add("กองทุนไม่มีสวัสดิการนี้ ณ วันที่เกิดเหตุ", "the fund offers no such benefit on the event date", False)
        return d
    d.add(f"ใช้ระเบียบที่มีผล {format_date(rule.effective_from, 'short', 'th')}",
          f"rule in force from {format_date(rule.effective_from, 'short', 'en')}")
    if facts.event_date < facts.joined_on:
        d.add("เหตุเกิดก่อนเป็นสมาชิก", "the event happened before the member joined", False)
        return d
    if facts.membership_status not in ("active", "deceased"):
        d.add(f"สถานะสมาชิก: {facts.membership_status}", f"membership is {facts.membership_status}", False)
    days_member = (facts.event_date - facts.joined_on).days
    met = days_member >= rule.waiting_days
    d.add(f"เป็นสมาชิก {days_member:,} วัน ระเบียบกำหนด {rule.waiting_days:,} วัน: {'ผ่าน' if met else 'ไม่ผ่าน'}",
          f"member for {days_member:,} days, rule needs {rule.waiting_days:,}: {'met' if met else 'not met'}", met)
    ok = facts.days_in_arrears <= rule.arrears_tolerance_days
    d.add(f"ค้างส่งเงินสมทบ {facts.days_in_arrears:,} วัน (ยอมให้ {rule.arrears_tolerance_days:,} วัน): "
          f"{'ผ่าน' if ok else 'ไม่ผ่าน'}",
          f"{facts.days_in_arrears:,} days in arrears, {rule.arrears_tolerance_days:,} allowed: "
          f"{'met' if ok else 'not met'}", ok)
    who_ok = {
        "member": facts.beneficiary_is_member,
        "dependant": facts.beneficiary_is_dependant,
        "either": facts.beneficiary_is_member or facts.beneficiary_is_dependant,
    }[rule.beneficiary]
    if not who_ok:
        d.add(f"ผู้รับไม่ตรงระเบียบ (ระเบียบให้: {rule.get_beneficiary_display()})",
              f"this beneficiary may not receive it (rule: {rule.beneficiary})", False)
    if rule.min_age:
        age = _years_between(facts.beneficiary_birth_date, facts.event_date) if facts.beneficiary_birth_date else None
        ok = age is not None and age >= rule.min_age
        d.add(f"อายุ {age if age is not None else 'ไม่ทราบ'} ปี ระเบียบกำหนด {rule.min_age} ปีขึ้นไป: "
              f"{'ผ่าน' if ok else 'ไม่ผ่าน'}",
              f"age {age if age is not None else 'unknown'}, rule needs {rule.min_age}: {'met' if ok else 'not met'}",
              ok)
    if not d.eligible:
        # What would be paid is no help once a condition fails (the claim cannot be approved): say so and stop.
        d.add("ไม่จ่าย: ไม่เป็นไปตามระเบียบในข้อที่ไม่ผ่านข้างต้น", "not payable: the rules not met above", False)
        return d
    amount = _amount(rule, facts, d)
    amount = _apply_caps(rule, facts, d, amount)
    if d.eligible and amount <= 0:
        d.add("ไม่มียอดที่จ่ายได้", "nothing left to pay", False)
    d.amount = amount if d.eligible else ZERO
    if d.eligible:
        d.add(f"จ่าย {_b(d.amount)} บาท", f"pays {_b(d.amount)}")
    return d


def _amount(rule, facts: ClaimFacts, d: Decision) -> Decimal:
    kind = rule.amount_type
    if kind == "per_unit":
        units = facts.units
        amount = (units * rule.unit_amount).quantize(Decimal("0.01"))
        unit_th = rule.kind.unit_th or "หน่วย"
        unit_en = rule.kind.unit_en or "unit"
        d.add(f"{_b(units)} {unit_th} × {_b(rule.unit_amount)} = {_b(amount)}",
              f"{_b(units)} {unit_en}{'s' if units != 1 else ''} × {_b(rule.unit_amount)} = {_b(amount)}")
        return amount
    if kind == "tiered":
        # Full years by the calendar, as an age is counted: joined 2 Mar 2019, on 1 Mar 2024 four years (the
        # 1,826 days between hold two leap days, so days // 365 would say five).
        years = _years_between(facts.joined_on, facts.event_date)
        chosen = None
        for tier in sorted(rule.tiers, key=lambda t: int(t["years"])):
            if years >= int(tier["years"]):
                chosen = tier
        amount = Decimal(str(chosen["amount"])) if chosen else ZERO
        d.add(f"เป็นสมาชิก {years} ปีเต็ม: ตามขั้นอัตรา {_b(amount)}",
              f"{years} full years of membership: tier pays {_b(amount)}", chosen is not None)
        return amount
    if kind == "periodic":
        period_th = "ต่อเดือน" if rule.period == "monthly" else "ต่อปี"
        period_en = "month" if rule.period == "monthly" else "year"
        d.add(f"{_b(rule.amount)} {period_th}", f"{_b(rule.amount)} per {period_en}")
        return rule.amount
    d.add(f"อัตราคงที่ {_b(rule.amount)}", f"fixed amount {_b(rule.amount)}")
    return rule.amount


def _apply_caps(rule, facts: ClaimFacts, d: Decision, amount: Decimal) -> Decimal:
    if rule.cap_per_event is not None and amount > rule.cap_per_event:
        d.add(f"เพดานต่อครั้ง {_b(rule.cap_per_event)}: ลดเหลือ {_b(rule.cap_per_event)}",
              f"cap per event {_b(rule.cap_per_event)}: reduced to {_b(rule.cap_per_event)}")
        amount = rule.cap_per_event
    if rule.cap_per_year is not None:
        left = max(ZERO, rule.cap_per_year - facts.paid_this_year)
        if amount > left:
            d.add(f"เพดานต่อปี {_b(rule.cap_per_year)} ใช้ไปแล้ว {_b(facts.paid_this_year)}: เหลือ {_b(left)}",
                  f"year's cap {_b(rule.cap_per_year)}, used {_b(facts.paid_this_year)}: {_b(left)} left")
            amount = left
        else:
            d.add(f"เพดานต่อปี {_b(rule.cap_per_year)} ใช้ไปแล้ว {_b(facts.paid_this_year)}",
                  f"year's cap {_b(rule.cap_per_year)}, used {_b(facts.paid_this_year)}")
    if rule.cap_lifetime is not None:
        left = max(ZERO, rule.cap_lifetime - facts.paid_lifetime)
        if amount > left:
            d.add(f"เพดานตลอดชีพ {_b(rule.cap_lifetime)} ใช้ไปแล้ว {_b(facts.paid_lifetime)}: เหลือ {_b(left)}",
                  f"lifetime cap {_b(rule.cap_lifetime)}, used {_b(facts.paid_lifetime)}: {_b(left)} left")
            amount = left
    return amount
