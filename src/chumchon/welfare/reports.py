"""Fund reports (รายงานกองทุน): the member register, contributions by month and village, the arrears list,
benefits paid by kind, and the yearly fund report.

Each report is plain data — Thai and English titles and column headers, rows of cells (``str``, ``int``,
``Decimal``, ``date`` or ``None``) and a totals row — so the page, xlsx, PDF and CSV always show the same
figures (see ``report_exports``). Every figure comes from a few set-based queries, never one per member.

The fund passed in must come from a scoped lookup (``views.common.fund_or_404``): whoever may see a fund may
see all of its members and money, so nothing is narrowed further here.

Reports "as of" a day (the register, the arrears list, members in the yearly report) show that day's picture:
members who had joined by then, the status they had (a membership ended later was still active), and how far
their contributions reached on that day (worked out from the contributions dated up to it).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from chumchon.core.thai import national_id
from chumchon.core.thai.dates import BANGKOK, format_date
from chumchon.core.thai.errors import NationalIdError
from chumchon.core.thai.fiscal import FiscalYear, fiscal_year_of
from chumchon.core.thai.money import format_baht, to_baht
from chumchon.ledger.models import AccountType, FundSource, JournalEntry, Line
from chumchon.ledger.statements import period_label, source_labels
from chumchon.welfare import selectors
from chumchon.welfare.models import (
    Claim,
    ClaimPaymentVoid,
    Contribution,
    ContributionRefund,
    ContributionVoid,
    Fund,
    Grant,
    Membership,
)

ZERO = Decimal("0.00")
ONE_DAY = datetime.timedelta(days=1)
ENDED = (Membership.Status.RESIGNED, Membership.Status.DECEASED, Membership.Status.LAPSED,
         Membership.Status.TRANSFERRED)
STATUS_TH = {
    Membership.Status.ACTIVE: "ปกติ", Membership.Status.LAPSED: "พ้นสภาพ (ขาดส่งเงินสมทบ)",
    Membership.Status.RESIGNED: "ลาออก", Membership.Status.DECEASED: "เสียชีวิต",
    Membership.Status.TRANSFERRED: "ย้ายออก",
}
ENDED_TH = {Membership.Status.RESIGNED: "ลาออก", Membership.Status.DECEASED: "เสียชีวิต",
            Membership.Status.LAPSED: "ขาดส่งเงินสมทบ", Membership.Status.TRANSFERRED: "ย้ายออก"}
SEX_TH = {"M": "ชาย", "F": "หญิง", "U": "ไม่ระบุ"}
_FULLY_MASKED = "x-xxxx-xxxxx-xx-x"


@dataclass(frozen=True)
class Column:
    """A column: its Thai and English header, what its cells hold (text, money, int, date), its width in
    characters (xlsx), and whether a phone may leave it out."""

    header_th: str
    header_en: str
    kind: str = "text"
    width: int = 12
    narrow: bool = False

    @property
    def numeric(self) -> bool:
        return self.kind in ("money", "int")


@dataclass
class Table:
    """One titled table: rows of cells in column order, and a totals row (or None)."""

    title_th: str
    title_en: str
    columns: list[Column]
    rows: list[tuple] = field(default_factory=list)
    totals: tuple | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Report(Table):
    """A report of one fund. A composite report (the yearly one) keeps its tables in ``sections``; the others
    are their own single table."""

    kind: str = ""
    fund: Fund | None = None
    fiscal_year: FiscalYear | None = None
    on: datetime.date | None = None
    landscape: bool = False
    sections: list[Table] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return self.sections or [self]

    @property
    def fund_line(self) -> str:
        return f"{self.fund.name} (รหัส {self.fund.code})"

    @property
    def area_line(self) -> str:
        sub = self.fund.organisation.subdistrict
        return f"ตำบล{sub.name_th} {sub.district.name_th} จังหวัด{sub.province.name_th}"

    @property
    def period_th(self) -> str:
        return _period(self, "th")

    @property
    def period_en(self) -> str:
        return _period(self, "en")


@dataclass(frozen=True)
class ReportKind:
    """A report the fund can ask for: its address (slug), its titles, and whether it covers a fiscal year."""

    slug: str
    title_th: str
    title_en: str
    by_year: bool  # True: for a fiscal year; False: as of a day


KINDS = {k.slug: k for k in [
    ReportKind("members", "ทะเบียนสมาชิก", "Member register", False),
    ReportKind("contributions", "เงินสมทบรายเดือนแยกตามหมู่บ้าน", "Contributions by month and village", True),
    ReportKind("arrears", "รายชื่อสมาชิกค้างส่งเงินสมทบ", "Members in arrears", False),
    ReportKind("receipts", "ทะเบียนคุมใบเสร็จรับเงิน", "Receipt control register", True),
    ReportKind("vouchers", "ทะเบียนคุมใบสำคัญจ่าย", "Payment voucher register", True),
    ReportKind("benefits", "สวัสดิการที่จ่ายแยกตามประเภท", "Benefits paid by kind", True),
    ReportKind("yearly", "รายงานประจำปีกองทุนสวัสดิการชุมชน", "Yearly fund report", True),
]}


# Reports that list members by name (with birth dates, masked IDs): a download of one is written to the audit log.
NAMING_MEMBERS = frozenset({"members", "arrears", "receipts", "vouchers"})
# Reports that name who received benefits: for those who may see claims (the personal-data right), as the claims are.
NAMING_BENEFICIARIES = frozenset({"vouchers"})


def _titles(slug: str) -> tuple[str, str]:
    return KINDS[slug].title_th, KINDS[slug].title_en


def _period(report: Report, lang: str) -> str:
    fy, on = report.fiscal_year, report.on
    if fy is None:
        at = format_date(on, "long", lang)
        return f"ข้อมูล ณ วันที่ {at}" if lang == "th" else f"as of {at}"
    text = period_label(fy.start, fy.end, lang)
    if on is not None and on < fy.end:
        at = format_date(on, "long", lang)
        text += f" ข้อมูลถึงวันที่ {at}" if lang == "th" else f", figures to {at}"
    return text


# --- the period a report covers ---------------------------------------------------------------------


def fiscal_year(value: FiscalYear | int | str | None = None) -> FiscalYear:
    """The fiscal year asked for (B.E.), the current one by default."""
    if value is None or value == "":
        return fiscal_year_of(timezone.localdate())
    return value if isinstance(value, FiscalYear) else FiscalYear.parse(value)


def as_of(fy: FiscalYear) -> datetime.date:
    """The day a year's picture is taken: its last day, or today while the year is still running."""
    return min(timezone.localdate(), fy.end)


# --- members as they stood on a day ------------------------------------------------------------------


def _full_name(row: dict) -> str:
    return f"{row['person__title']}{row['person__first_name']} {row['person__last_name']}".strip()


def _masked(number: str | None) -> str:
    if not number:
        return ""
    try:
        return national_id.mask(number)
    except NationalIdError:
        return _FULLY_MASKED


def _age(birth: datetime.date | None, on: datetime.date) -> int | None:
    if birth is None or birth > on:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class MemberOn:
    """A membership as it stood on a day."""

    row: dict
    status: str
    paid_through: datetime.date | None
    days_in_arrears: int | None
    lapse_notice_on: datetime.date | None

    @property
    def active(self) -> bool:
        return self.status == Membership.Status.ACTIVE

    @property
    def village(self) -> int | None:
        return self.row["village_number"] or self.row["person__village_number"]


def members_on(fund: Fund, on: datetime.date) -> list[MemberOn]:
    """Every membership that had begun by ``on``, in member-number order, as it stood that day — one query.

    Today's picture is the stored one. For an earlier day, contributions tell how far a member had paid: the
    furthest day covered by contributions dated up to then, or, before the first contribution, the day before
    it covered from (which is where an opening figure had left it)."""
    covered = (Contribution.objects.standing().filter(membership=OuterRef("pk"), date__lte=on).order_by("-covers_to")
               .values("covers_to")[:1])
    first = (Contribution.objects.standing().filter(membership=OuterRef("pk")).order_by("covers_from")
             .values("covers_from")[:1])
    rows = (Membership.objects.filter(fund=fund, joined_on__lte=on)
            .annotate(covered_on=Subquery(covered), first_covered_from=Subquery(first))
            .order_by("member_number")
            .values("pk", "member_number", "joined_on", "status", "ended_on", "village_number", "paid_through",
                    "lapse_notice_on", "covered_on", "first_covered_from", "person__title", "person__first_name",
                    "person__last_name", "person__sex", "person__birth_date", "person__village_number",
                    "person__personal_data__national_id"))
    today = timezone.localdate()
    members = []
    for row in rows:
        ended = row["status"] != Membership.Status.ACTIVE and (row["ended_on"] is None or row["ended_on"] <= on)
        status = row["status"] if ended else Membership.Status.ACTIVE
        if on >= today or not (row["covered_on"] or row["first_covered_from"]):
            paid_through = row["paid_through"]
        else:
            paid_through = row["covered_on"] or row["first_covered_from"] - ONE_DAY
        days = None
        if not ended:
            days = max(0, (on - (paid_through or row["joined_on"] - ONE_DAY)).days)
        notice = row["lapse_notice_on"] if row["lapse_notice_on"] and row["lapse_notice_on"] <= on else None
        members.append(MemberOn(row, status, paid_through, days, notice))
    return members


# --- the reports ------------------------------------------------------------------------------------


def member_register(fund: Fund, on: datetime.date | None = None) -> Report:
    """ทะเบียนสมาชิก: every member who had joined by ``on`` (today by default). National ID numbers are
    shown masked only."""
    on = on or timezone.localdate()
    columns = [
        Column("เลขสมาชิก", "Member no.", width=10), Column("ชื่อ-สกุล", "Name", width=28),
        Column("เลขประจำตัวประชาชน", "National ID (masked)", width=19, narrow=True),
        Column("เพศ", "Sex", width=7, narrow=True), Column("วันเกิด", "Birth date", "date", 11, narrow=True),
        Column("อายุ (ปี)", "Age", "int", 7), Column("หมู่ที่", "Moo", "int", 7),
        Column("วันที่สมัคร", "Joined", "date", 11, narrow=True), Column("สถานะ", "Status", width=14),
        Column("ส่งเงินสมทบถึงวันที่", "Paid through", "date", 12),
        Column("ค้างส่ง (วัน)", "Days in arrears", "int", 10),
    ]
    members = members_on(fund, on)
    rows = [(m.row["member_number"], _full_name(m.row), _masked(m.row["person__personal_data__national_id"]),
             SEX_TH.get(m.row["person__sex"], ""), m.row["person__birth_date"], _age(m.row["person__birth_date"], on),
             m.village, m.row["joined_on"], STATUS_TH.get(m.status, m.status), m.paid_through, m.days_in_arrears)
            for m in members]
    active = sum(1 for m in members if m.active)
    totals = ("รวม", f"{len(members):,} คน (สมาชิกปกติ {active:,} คน)", *[None] * (len(columns) - 2))
    return Report(*_titles("members"), columns, rows, totals, kind="members", fund=fund, on=on,
                  landscape=True)


def _village_label(number: int | None, names: dict[int, str]) -> tuple[str, str]:
    if number is None:
        return "ไม่ระบุหมู่", "No Moo"
    name = names.get(number, "")
    return f"หมู่ {number}{' ' + name if name else ''}", f"Moo {number}"


def contributions_by_month(fund: Fund, fy: FiscalYear | int | None = None) -> Report:
    """เงินสมทบรายเดือนแยกตามหมู่บ้าน: the twelve months of a fiscal year (ต.ค. … ก.ย.) by the members'
    villages, with row and column totals and how many members paid each month. Dated by the day paid."""
    from chumchon.geo.models import Village

    fy = fiscal_year(fy)
    contributions = Contribution.objects.standing().filter(fund=fund, date__gte=fy.start, date__lte=fy.end)
    village = Coalesce("membership__village_number", "membership__person__village_number")
    cells = (contributions.annotate(month=TruncMonth("date"), village=village)
             .values("month", "village").annotate(amount=Sum("amount"), payers=Count("membership", distinct=True))
             .order_by())
    by_cell: dict[tuple, Decimal] = {}
    payers: dict[datetime.date, int] = {}
    for c in cells:
        month = c["month"].date() if isinstance(c["month"], datetime.datetime) else c["month"]
        by_cell[(month, c["village"])] = to_baht(c["amount"])
        payers[month] = payers.get(month, 0) + c["payers"]  # a member lives in one village: no double count
    villages = sorted({v for _, v in by_cell}, key=lambda v: (v is None, v or 0))
    names = dict(Village.objects.filter(subdistrict_id=fund.organisation.subdistrict_id, number__in=[
        v for v in villages if v is not None]).exclude(name_th="").values_list("number", "name_th"))
    labels = [_village_label(v, names) for v in villages]
    columns = ([Column("เดือน", "Month", width=11)]
               + [Column(th, en, "money", 13) for th, en in labels]
               + [Column("รวม", "Total", "money", 14), Column("สมาชิกที่ส่ง (คน)", "Members paying", "int", 10)])
    rows = []
    for month in fy.months():
        amounts = [by_cell.get((month.start, v), ZERO) for v in villages]
        rows.append((month.label_th, *amounts, sum(amounts, ZERO), payers.get(month.start, 0)))
    year_payers = contributions.aggregate(n=Count("membership", distinct=True))["n"]
    column_totals = [sum((by_cell.get((m.start, v), ZERO) for m in fy.months()), ZERO) for v in villages]
    totals = ("รวมทั้งปี", *column_totals, sum(column_totals, ZERO), year_payers)
    notes = ["แยกตามหมู่บ้านของสมาชิก ตามวันที่รับเงิน แถวรวมนับสมาชิกที่ส่งคนละครั้งทั้งปี "
             "(by the member's village and the day paid; the total row counts each paying member once)"]
    return Report(*_titles("contributions"), columns, rows, totals,
                  notes, kind="contributions", fund=fund, fiscal_year=fy, on=as_of(fy), landscape=True)


def arrears_list(fund: Fund, on: datetime.date | None = None, days: int | None = None) -> Report:
    """รายชื่อสมาชิกค้างส่งเงินสมทบ: active members more than ``days`` in arrears on ``on`` (by default the
    fund's own limit, after which a member is sent a lapse notice), with what they owe at the daily rate."""
    on = on or timezone.localdate()
    limit = fund.arrears_limit_days if days is None else days
    columns = [  # on a phone: name, days and amount (what the treasurer goes round with)
        Column("เลขสมาชิก", "Member no.", width=10, narrow=True), Column("ชื่อ-สกุล", "Name", width=28),
        Column("หมู่ที่", "Moo", "int", 7, narrow=True),
        Column("ส่งเงินสมทบถึงวันที่", "Paid through", "date", 12, narrow=True),
        Column("ค้างส่ง (วัน)", "Days in arrears", "int", 10),
        Column("ยอดค้างชำระ (บาท)", "Amount owed (baht)", "money", 15),
        Column("วันที่แจ้งเตือนพ้นสภาพ", "Lapse notice sent", "date", 14, narrow=True),
    ]
    late = [m for m in members_on(fund, on) if m.active and m.days_in_arrears > limit]
    late.sort(key=lambda m: (m.village is None, m.village or 0, m.row["member_number"]))
    rows = [(m.row["member_number"], _full_name(m.row), m.village, m.paid_through, m.days_in_arrears,
             to_baht(m.days_in_arrears * fund.daily_rate), m.lapse_notice_on) for m in late]
    owed = sum((r[5] for r in rows), ZERO)
    totals = ("รวม", f"{len(rows):,} คน", None, None, None, owed, None)
    notes = [f"ค้างส่งเกิน {limit:,} วัน (เกณฑ์พ้นสภาพของกองทุน {fund.arrears_limit_days:,} วัน) "
             f"คิดยอดค้างวันละ {format_baht(fund.daily_rate)} บาท "
             f"(more than {limit:,} days behind; the fund's lapse limit is {fund.arrears_limit_days:,} days; "
             f"owed at {format_baht(fund.daily_rate)} baht a day)"]
    return Report(*_titles("arrears"), columns, rows, totals, notes, kind="arrears",
                  fund=fund, on=on)


def receipt_register(fund: Fund, fy: FiscalYear | int | None = None) -> Report:
    """ทะเบียนคุมใบเสร็จรับเงิน: every receipt of a fiscal year in number order — cancelled ones too, marked, with
    why — the receipts issued, cancelled and standing, and any number of the fund's own sequence (RC<year>-00001…)
    that is missing: what an auditor checks a receipt book by. Numbers from an imported history (another
    numbering) are listed, not checked for gaps."""
    fy = fiscal_year(fy)
    columns = [Column("เลขที่", "No.", width=15), Column("วันที่", "Date", "date", 11),
               Column("เลขสมาชิก", "Member no.", width=10, narrow=True), Column("ชื่อ-สกุล", "Name", width=28),
               Column("จำนวนเงิน (บาท)", "Amount (baht)", "money", 14), Column("สถานะ", "Status", width=10),
               Column("เหตุผลที่ยกเลิก", "Why cancelled", width=30, narrow=True)]
    receipts = (Contribution.objects.filter(fund=fund, fiscal_year=fy.be_year).order_by("receipt_number")
                .values_list("pk", "receipt_number", "date", "membership__member_number", "membership__person__title",
                             "membership__person__first_name", "membership__person__last_name", "amount"))
    voids = dict(ContributionVoid.objects.filter(fund=fund, contribution__fiscal_year=fy.be_year)
                 .values_list("contribution_id", "reason"))
    rows, standing, ours = [], ZERO, set()
    prefix = f"RC{fy.be_year}-"
    for pk, number, day, member, title, first, last, amount in receipts.iterator(chunk_size=5000):
        void = voids.get(pk)
        rows.append((number, day, member, _full_name({"person__title": title, "person__first_name": first,
                                                      "person__last_name": last}),
                     to_baht(amount), "ยกเลิก" if void is not None else "ใช้ได้", void or ""))
        standing += ZERO if void is not None else to_baht(amount)
        if number.startswith(prefix) and number[len(prefix):].isdigit():
            ours.add(int(number[len(prefix):]))
    totals = ("รวม", None, None, f"ออก {len(rows):,} ฉบับ ยกเลิก {len(voids):,} ฉบับ", standing, None, None)
    notes = ["จำนวนเงินรวมเฉพาะใบเสร็จที่ใช้ได้ (the total counts standing receipts only; a cancelled receipt keeps its "
             "number, marked)", _missing_note(ours, prefix)]
    return Report(*_titles("receipts"), columns, rows, totals, notes, kind="receipts", fund=fund, fiscal_year=fy,
                  on=as_of(fy), landscape=True)


def _missing_note(numbers: set[int], prefix: str) -> str:
    missing = sorted(set(range(1, max(numbers) + 1)) - numbers) if numbers else []
    if not missing:
        return "เลขที่ของกองทุนเรียงครบ ไม่มีเลขขาดหาย (the fund's numbers run without a gap)"
    shown = ", ".join(f"{prefix}{n:05d}" for n in missing[:30]) + (" …" if len(missing) > 30 else "")
    return f"เลขที่ขาดหาย {len(missing):,} เลข: {shown} (numbers missing from the sequence)"


def voucher_register(fund: Fund, fy: FiscalYear | int | None = None) -> Report:
    """ทะเบียนคุมใบสำคัญจ่าย: every payment voucher of a fiscal year in number order — benefits paid (cancelled
    ones marked, with why) and contributions refunded — the total paid, and any number of the fund's PV sequence
    that is missing. What the benefit is stays off it (it can be health data): the claim's page says, for those who
    may read it."""
    fy = fiscal_year(fy)
    prefix = f"PV{fy.be_year}-"
    columns = [Column("เลขที่", "No.", width=15), Column("วันที่จ่าย", "Paid on", "date", 11),
               Column("เลขสมาชิก", "Member no.", width=10, narrow=True), Column("ชื่อ-สกุล", "Paid to", width=28),
               Column("รายการ", "For", width=18), Column("จำนวนเงิน (บาท)", "Amount (baht)", "money", 14),
               Column("สถานะ", "Status", width=10), Column("เหตุผลที่ยกเลิก", "Why cancelled", width=30, narrow=True)]
    voids = dict(ClaimPaymentVoid.objects.filter(fund=fund, claim__voucher_number__startswith=prefix)
                 .values_list("claim_id", "reason"))
    rows: list[tuple] = []
    for pk, number, day, member, title, first, last, amount in (
            Claim.objects.filter(fund=fund, status=Claim.Status.PAID, voucher_number__startswith=prefix)
            .values_list("pk", "voucher_number", "entry__date", "membership__member_number", "beneficiary__title",
                         "beneficiary__first_name", "beneficiary__last_name", "amount").iterator(chunk_size=5000)):
        void = voids.get(pk)
        rows.append((number, day, member, _full_name({"person__title": title, "person__first_name": first,
                                                      "person__last_name": last}),
                     "สวัสดิการ", to_baht(amount), "ยกเลิก" if void is not None else "จ่ายแล้ว", void or ""))
    for number, day, member, title, first, last, amount in (
            ContributionRefund.objects.filter(fund=fund, voucher_number__startswith=prefix)
            .values_list("voucher_number", "date", "membership__member_number", "membership__person__title",
                         "membership__person__first_name", "membership__person__last_name", "amount")):
        rows.append((number, day, member, _full_name({"person__title": title, "person__first_name": first,
                                                      "person__last_name": last}),
                     "คืนเงินสมทบ", to_baht(amount), "จ่ายแล้ว", ""))
    rows.sort(key=lambda r: r[0])
    paid = sum((r[5] for r in rows if r[6] != "ยกเลิก"), ZERO)
    numbers = {int(r[0][len(prefix):]) for r in rows if r[0][len(prefix):].isdigit()}
    totals = ("รวม", None, None, f"{len(rows):,} ฉบับ ยกเลิก {len(voids):,} ฉบับ", None, paid, None, None)
    notes = ["จำนวนเงินรวมเฉพาะที่จ่ายและไม่ได้ยกเลิก (the total counts payments not cancelled)",
             _missing_note(numbers, prefix)]
    return Report(*_titles("vouchers"), columns, rows, totals, notes, kind="vouchers", fund=fund, fiscal_year=fy,
                  on=as_of(fy), landscape=True)


def _fy_bounds(fy: FiscalYear) -> tuple[datetime.datetime, datetime.datetime]:
    """The fiscal year as aware instants, Thailand time: [start, end)."""
    start = datetime.datetime.combine(fy.start, datetime.time.min, tzinfo=BANGKOK)
    return start, datetime.datetime.combine(fy.end + ONE_DAY, datetime.time.min, tzinfo=BANGKOK)


def benefits_by_kind(fund: Fund, fy: FiscalYear | int | None = None) -> Report:
    """สวัสดิการที่จ่ายแยกตามประเภท: per benefit kind, the claims paid in the fiscal year (by payment date, so
    the figures agree with the books), how many people received them, the amount, and the claims rejected in
    the year (by decision date)."""
    fy = fiscal_year(fy)
    start, end = _fy_bounds(fy)
    paid = Q(status=Claim.Status.PAID, payment_void__isnull=True, entry__date__gte=fy.start, entry__date__lte=fy.end)
    rejected = Q(status=Claim.Status.REJECTED, decided_at__gte=start, decided_at__lt=end)
    claims = Claim.objects.filter(fund=fund).filter(paid | rejected)
    kinds = (claims.values("kind__code", "kind__name_th", "kind__order")
             .annotate(n=Count("pk", filter=paid), people=Count("beneficiary", filter=paid, distinct=True),
                       amount=Sum("amount", filter=paid), rejected=Count("pk", filter=rejected))
             .order_by("kind__order", "kind__code"))
    columns = [Column("ประเภทสวัสดิการ", "Benefit", width=30), Column("จ่าย (ครั้ง)", "Claims paid", "int", 10),
               Column("ผู้รับ (คน)", "Recipients", "int", 10), Column("จำนวนเงิน (บาท)", "Amount (baht)", "money", 15),
               Column("ไม่อนุมัติ (ครั้ง)", "Rejected", "int", 10)]
    rows = [(k["kind__name_th"], k["n"], k["people"], to_baht(k["amount"] or 0), k["rejected"]) for k in kinds]
    people = claims.filter(paid).aggregate(n=Count("beneficiary", distinct=True))["n"]
    totals = ("รวม", sum(r[1] for r in rows), people, sum((r[3] for r in rows), ZERO), sum(r[4] for r in rows))
    notes = ["จ่ายตามวันที่จ่ายเงิน ไม่อนุมัติตามวันที่พิจารณา ผู้รับในแถวรวมนับคนละครั้ง "
             "(paid by payment date, rejected by decision date; the total counts each recipient once)"]
    return Report(*_titles("benefits"), columns, rows, totals, notes,
                  kind="benefits", fund=fund, fiscal_year=fy, on=as_of(fy))


# --- the yearly report ------------------------------------------------------------------------------

_ITEM = Column("รายการ", "Item", width=44)
_PEOPLE = Column("จำนวน (คน)", "People", "int", 12)
_AMOUNT = Column("จำนวนเงิน (บาท)", "Amount (baht)", "money", 16)


def _members_table(fund: Fund, fy: FiscalYear, on: datetime.date) -> Table:
    """Members at the start of the year, joined, ended (by why) and at the end: start + new − ended = end."""
    def active_on(day):
        return Q(joined_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))

    counts = Membership.objects.filter(fund=fund).aggregate(
        start=Count("pk", filter=active_on(fy.start - ONE_DAY)),
        new=Count("pk", filter=Q(joined_on__gte=fy.start, joined_on__lte=on)),
        end=Count("pk", filter=active_on(on)),
        **{s.value: Count("pk", filter=Q(status=s, ended_on__gte=fy.start, ended_on__lte=on)) for s in ENDED},
    )
    rows = [(f"สมาชิกต้นปี (ณ วันที่ {format_date(fy.start - ONE_DAY)})", counts["start"]),
            ("สมาชิกใหม่", counts["new"])]
    rows += [(f"พ้นสมาชิกภาพ: {ENDED_TH[s]}", counts[s.value]) for s in ENDED]
    return Table("สมาชิก", "Members", [_ITEM, _PEOPLE], rows,
                 (f"สมาชิกคงอยู่ ณ วันที่ {format_date(on)}", counts["end"]))


def _contributions_table(fund: Fund, fy: FiscalYear) -> Table:
    sums = Contribution.objects.standing().filter(fund=fund, date__gte=fy.start, date__lte=fy.end).aggregate(
        receipts=Count("pk"), payers=Count("membership", distinct=True), amount=Sum("amount"))
    columns = [_ITEM, Column("ใบเสร็จ (ฉบับ)", "Receipts", "int", 12), _PEOPLE, _AMOUNT]
    amount = to_baht(sums["amount"] or 0)
    return Table("เงินสมทบจากสมาชิก", "Member contributions", columns,
                 [("เงินสมทบจากสมาชิก (วันละบาท)", sums["receipts"], sums["payers"], amount)])


def _grants_table(fund: Fund, fy: FiscalYear) -> Table:
    grants = (Grant.objects.filter(fund=fund, fiscal_year=fy.be_year).values("source")
              .annotate(n=Count("pk"), members=Sum("members_covered"), amount=Sum("amount")).order_by())
    by_source = {g["source"]: g for g in grants}
    columns = [Column("แหล่งเงิน", "Source", width=44), Column("ครั้ง", "Grants", "int", 12),
               Column("สมาชิกที่สมทบให้ (คน)", "Members matched", "int", 14), _AMOUNT]
    rows = []
    for source in [s for s in FundSource if s in by_source] + sorted(set(by_source) - set(FundSource)):
        g = by_source[source]
        rows.append((source_labels(source)[0], g["n"], g["members"] or 0, to_baht(g["amount"])))
    totals = ("รวม", sum(r[1] for r in rows), None, sum((r[3] for r in rows), ZERO))
    return Table("เงินสมทบจากภายนอก แยกตามแหล่งที่มา", "Matching grants by source", columns, rows, totals)


def _posted_lines(fund: Fund):
    return Line.objects.filter(book=fund.organisation.book, entry__status=JournalEntry.Status.POSTED)


def _income_expenditure_tables(fund: Fund, fy: FiscalYear) -> list[Table]:
    """Income and expenditure of the fiscal year from the books, year-end closing entries (and their
    reversals) left out."""
    lines = (_posted_lines(fund).filter(date__gte=fy.start, date__lte=fy.end,
                                        account__type__in=[AccountType.INCOME, AccountType.EXPENSE])
             .exclude(entry__is_closing=True).exclude(entry__reverses__is_closing=True)
             .values("account__code", "account__name_th", "account__type")
             .annotate(debit=Sum("debit"), credit=Sum("credit")).order_by("account__code"))
    income, expense = [], []
    for a in lines:
        if a["account__type"] == AccountType.INCOME:
            income.append((a["account__code"], a["account__name_th"], to_baht(a["credit"] - a["debit"])))
        else:
            expense.append((a["account__code"], a["account__name_th"], to_baht(a["debit"] - a["credit"])))
    columns = [Column("รหัสบัญชี", "Code", width=10), Column("ชื่อบัญชี", "Account", width=44), _AMOUNT]
    total_income, total_expense = sum((r[2] for r in income), ZERO), sum((r[2] for r in expense), ZERO)
    return [
        Table("รายได้ (จากบัญชี)", "Income (from the books)", columns, income, (None, "รวมรายได้", total_income)),
        Table("ค่าใช้จ่าย (จากบัญชี)", "Expenditure (from the books)", columns, expense,
              (None, "รวมค่าใช้จ่าย", total_expense)),
        Table("สรุปรายได้และค่าใช้จ่าย", "Income and expenditure", [_ITEM, _AMOUNT],
              [("รวมรายได้", total_income), ("รวมค่าใช้จ่าย", total_expense)],
              ("รายได้สูง (ต่ำ) กว่าค่าใช้จ่าย", total_income - total_expense),
              ["ไม่รวมรายการปิดบัญชีสิ้นปี (year-end closing entries left out)"]),
    ]


def _money_by_source_table(fund: Fund, on: datetime.date) -> Table:
    """Each source's money on a day: its fund balance plus its income less its expenses, from every posted
    line up to then (closing moves money within a source, so it changes nothing here)."""
    sums = (_posted_lines(fund).filter(date__lte=on, account__type__in=[
        AccountType.NET_ASSETS, AccountType.INCOME, AccountType.EXPENSE])
        .values("account__fund_source").annotate(debit=Sum("debit"), credit=Sum("credit")).order_by())
    net = {s["account__fund_source"]: to_baht(s["credit"] - s["debit"]) for s in sums}
    cash = _posted_lines(fund).filter(date__lte=on, account__is_cash=True).aggregate(
        debit=Sum("debit"), credit=Sum("credit"))
    rows = [(source_labels(s)[0], net.get(s, ZERO)) for s in FundSource]
    if net.get("", ZERO):
        rows.append(("ไม่ระบุแหล่งเงิน", net[""]))
    total = sum((r[1] for r in rows), ZERO)
    notes = [f"เงินสดและเงินฝากธนาคาร ณ วันเดียวกัน {format_baht(to_baht((cash['debit'] or 0) - (cash['credit'] or 0)))}"
             " บาท (cash and bank on the same day)"]
    return Table(f"เงินกองทุนแยกตามแหล่งที่มา ณ วันที่ {format_date(on)}", "Fund money by source", [
        Column("แหล่งเงิน", "Source", width=44), _AMOUNT], rows, ("รวม", total), notes)


def _status_table(fund: Fund, on: datetime.date) -> Table:
    """The fund status form's figures (แบบแสดงสถานะกองทุน) as they stood on ``on``: the year's last day, or today
    while it runs (a past year's report reads the same whenever it is printed)."""
    s = selectors.fund_status(fund, on)
    rows = [
        ("สมาชิกทั้งหมดที่เคยลงทะเบียน (คน)", s["members_total"]),
        ("สมาชิกปัจจุบัน (คน)", s["members_active"]),
        ("ส่งเงินสมทบไม่เกินเกณฑ์ค้างชำระ (คน)", s["members_up_to_date"]),
        ("มีระเบียบสวัสดิการ (ประเภท)", s["rules_offered"]),
        ("ทะเบียนสมาชิกเป็นปัจจุบัน (≥ 80% ไม่ค้างเกินเกณฑ์)", "เป็นปัจจุบัน" if s["registry_up_to_date"] else "ต้องปรับปรุง"),
        ("ปิดบัญชีประจำปีล่าสุด", str(s["last_closed_year"]) if s["last_closed_year"] else "ยังไม่ปิด"),
        ("รายงานผลการดำเนินงานและงบการเงิน", "มี" if s["reports_done"] else "ยังไม่มี"),
    ]
    return Table(f"แบบแสดงสถานะกองทุน ณ วันที่ {format_date(on)}", "Fund status form",
                 [_ITEM, Column("ผล", "Result", "int", 16)], rows)  # right-aligned, as on the form


def yearly_report(fund: Fund, fy: FiscalYear | int | None = None) -> Report:
    """รายงานประจำปี: members, contributions, matching grants, benefits paid, income and expenditure from the
    books, money by source at the end of the year, and the fund status form."""
    fy = fiscal_year(fy)
    on = as_of(fy)
    benefits = benefits_by_kind(fund, fy)
    sections = [
        _members_table(fund, fy, on),
        _contributions_table(fund, fy),
        _grants_table(fund, fy),
        Table(benefits.title_th, benefits.title_en, benefits.columns, benefits.rows, benefits.totals, benefits.notes),
        *_income_expenditure_tables(fund, fy),
        _money_by_source_table(fund, on),
        _status_table(fund, on),
    ]
    return Report(*_titles("yearly"), [], kind="yearly", fund=fund,
                  fiscal_year=fy, on=on, sections=sections)


def build(kind: str, fund: Fund, fy: FiscalYear, *, on: datetime.date | None = None,
          days: int | None = None) -> Report:
    """The report ``kind`` for a fiscal year; reports as of a day take ``on`` (by default the year's last day,
    or today while the year runs)."""
    on = on or as_of(fy)
    builders = {
        "members": lambda: member_register(fund, on),
        "contributions": lambda: contributions_by_month(fund, fy),
        "arrears": lambda: arrears_list(fund, on, days),
        "receipts": lambda: receipt_register(fund, fy),
        "vouchers": lambda: voucher_register(fund, fy),
        "benefits": lambda: benefits_by_kind(fund, fy),
        "yearly": lambda: yearly_report(fund, fy),
    }
    return builders[kind]()
