"""The annual report (รายงานผลการดำเนินงานประจำปี): sections from the summaries, every figure with its formula and
its denominator, for the nation or any area. Modules add their sections through :func:`register_section`
(welfare funds first; councils, strong communities, local plans, loans, housing as they land).

A figure's ``key`` is stable (``welfare.members``); the JSON carries every figure under its key.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils import timezone

from chumchon.access.scoping import covers_area
from chumchon.core.thai.fiscal import FiscalYear
from chumchon.insights import selectors
from chumchon.insights.models import STOCK_MONEY, AreaSummary, Level

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Figure:
    key: str
    label_th: str
    label_en: str
    value: object  # int for counts, Decimal for money and percentages
    unit: str  # "count", "baht", "percent"
    formula_th: str
    formula_en: str
    denominator: str = ""  # key of the figure divided by, for ratios

    def to_json(self) -> dict:
        data = asdict(self)
        data["value"] = f"{self.value:.2f}" if isinstance(self.value, Decimal) else self.value
        return data


@dataclass
class Section:
    key: str
    title_th: str
    title_en: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)  # {"title": …, "series": [(label, value)], "unit": …}

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


SectionBuilder = Callable[[int, "selectors.Area", object], Section | None]
_SECTIONS: list[tuple[int, str, SectionBuilder]] = []


def register_section(key: str, order: int, builder: SectionBuilder) -> None:
    """Add (or replace) a section of the annual report: ``builder(fiscal_year, area, user)`` returns it, or None
    when the module has nothing for that area and year. ``user`` is who reads the report (the area is already
    checked against their scope); a module whose selectors filter by scope passes it on."""
    _SECTIONS[:] = [s for s in _SECTIONS if s[1] != key]
    _SECTIONS.append((order, key, builder))
    _SECTIONS.sort(key=lambda s: s[0])


def percent(part, whole) -> Decimal:
    """part ÷ whole × 100 to two places (0 when whole is 0)."""
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01")) if whole else ZERO


def welfare_section(fiscal_year: int, area, user=None) -> Section:
    """กองทุนสวัสดิการชุมชน: funds, members, money, matching money, recipients and payouts."""
    rows = {r.fiscal_year: r for r in selectors.series(area.level, area.code)}
    row = rows.get(fiscal_year) or AreaSummary(level=area.level, code=area.code, fiscal_year=fiscal_year)
    upto = [r for y, r in rows.items() if y <= fiscal_year]
    first = min((y for y, r in rows.items() if r.benefit_claims), default=fiscal_year)
    end_th = f"30 ก.ย. {fiscal_year}"
    end_en = f"30 Sep {fiscal_year - 543}"
    fund_money = sum((getattr(row, f) for f in STOCK_MONEY), ZERO)
    matching = row.grant_government
    f = []

    def add(key, th, en, value, unit, formula_th, formula_en, denominator=""):
        f.append(Figure(f"welfare.{key}", th, en, value, unit, formula_th, formula_en,
                        f"welfare.{denominator}" if denominator else ""))

    add("funds", "จำนวนกองทุน", "Funds", row.funds, "count",
        f"นับกองทุนที่จัดตั้งแล้ว ณ {end_th}", f"funds founded by {end_en}")
    add("members", "จำนวนสมาชิก", "Members", row.members_active, "count",
        f"นับสมาชิกที่สมัครแล้วและยังไม่สิ้นสภาพ ณ {end_th}", f"members joined and not ended on {end_en}")
    add("members_per_fund", "สมาชิกเฉลี่ยต่อกองทุน", "Members per fund",
        (Decimal(row.members_active) / row.funds).quantize(Decimal("0.01")) if row.funds else ZERO, "count",
        "จำนวนสมาชิก ÷ จำนวนกองทุน", "members ÷ funds", "funds")
    add("members_new", "สมาชิกใหม่ในปี", "New members in the year", row.members_new, "count",
        f"นับสมาชิกที่วันสมัครอยู่ในปีงบประมาณ {fiscal_year}", f"members whose joining date is in FY {fiscal_year}")
    add("members_deceased", "สมาชิกเสียชีวิตในปี", "Members deceased in the year", row.members_deceased, "count",
        "นับสมาชิกที่สิ้นสภาพเพราะเสียชีวิตในปี", "memberships ended by death in the year")
    add("fund_money", "เงินกองทุนรวม", "Fund money", fund_money, "baht",
        f"ผลรวมเงินทุกแหล่ง (ทุน + รายได้ − ค่าใช้จ่าย ตามแหล่งเงิน) ณ {end_th}",
        f"money of every source (fund balance + income − expenses by source) on {end_en}")
    for source in STOCK_MONEY:
        name = source.removeprefix("money_")
        add(f"fund_money_{name}", f"เงินกองทุน: {_SOURCE_TH[name]}", f"Fund money: {name}", getattr(row, source),
            "baht", f"เงินของแหล่ง{_SOURCE_TH[name]} ณ {end_th}", f"money of the source {name} on {end_en}")
    add("contributions", "เงินสมทบจากสมาชิกในปี", "Member contributions in the year", row.contributions, "baht",
        "ผลรวมเงินสมทบที่รับในปีงบประมาณ", "contributions received in the fiscal year")
    add("matched_funds", "กองทุนที่ได้รับเงินสมทบจากรัฐบาล", "Funds receiving government matching",
        row.funds_matched, "count", "นับกองทุนที่รับเงินสมทบจากรัฐบาลผ่าน พอช. ในปี",
        "funds that received government matching via the institute in the year")
    add("matched_funds_share", "สัดส่วนกองทุนที่ได้รับเงินสมทบ", "Share of funds matched",
        percent(row.funds_matched, row.funds), "percent", "กองทุนที่ได้รับเงินสมทบ ÷ จำนวนกองทุน × 100",
        "matched funds ÷ funds × 100", "funds")
    add("matched_members", "สมาชิกที่ได้รับการสมทบ", "Members covered by matching", row.grants_members_covered,
        "count", "ผลรวมจำนวนสมาชิกที่เงินสมทบจากรัฐบาลในปีครอบคลุม", "members the year's government grants match")
    # Over the members of the year, not those left at its end: a grant matches the members of its day, some of
    # whom die, lapse or leave before the year ends (matched 499 of 496 at the year's end read 100.6 %).
    members_in_year = row.members_active + row.members_lapsed + row.members_deceased + row.members_left
    add("matched_members_share", "สัดส่วนสมาชิกที่ได้รับการสมทบ", "Share of members matched",
        percent(row.grants_members_covered, members_in_year), "percent",
        "สมาชิกที่ได้รับการสมทบ ÷ สมาชิกในปี (คงอยู่ ณ สิ้นปี รวมที่พ้นสภาพระหว่างปี) × 100",
        "matched members ÷ members in the year (at its end, and those who left during it) × 100", "members")
    add("matching_money", "เงินสมทบจากรัฐบาลผ่าน พอช. ในปี", "Government matching money in the year", matching,
        "baht", "ผลรวมเงินสมทบจากรัฐบาลผ่าน พอช. ที่รับในปี", "government matching money received in the year")
    add("recipients", "ผู้รับสวัสดิการในปี", "Recipients in the year", row.recipients, "count",
        "ผลรวมของจำนวนผู้รับ (ไม่ซ้ำคน) ของแต่ละกองทุนในปี", "distinct beneficiaries of each fund in the year, added up")
    add("payouts", "เงินจ่ายสวัสดิการในปี", "Benefits paid in the year", row.benefits_paid, "baht",
        "ผลรวมสวัสดิการที่จ่ายในปี (ตามวันที่จ่าย)", "benefits paid in the year (by payment date)")
    add("recipients_cumulative", "ผู้รับสวัสดิการสะสม", "Recipients, cumulative", sum(r.recipients for r in upto),
        "count", f"ผลรวมผู้รับสวัสดิการของทุกปีงบประมาณที่บันทึก ({first}–{fiscal_year})",
        f"recipients of every recorded fiscal year added up ({first}–{fiscal_year})")
    add("payouts_cumulative", "เงินจ่ายสวัสดิการสะสม", "Benefits paid, cumulative",
        sum((r.benefits_paid for r in upto), ZERO), "baht",
        f"ผลรวมเงินจ่ายสวัสดิการของทุกปีงบประมาณที่บันทึก ({first}–{fiscal_year})",
        f"benefits paid in every recorded fiscal year added up ({first}–{fiscal_year})")
    add("payout_per_recipient", "เงินสวัสดิการเฉลี่ยต่อราย (ในปี)", "Average benefit per recipient (year)",
        (row.benefits_paid / row.recipients).quantize(Decimal("0.01")) if row.recipients else ZERO, "baht",
        "เงินจ่ายสวัสดิการในปี ÷ ผู้รับสวัสดิการในปี", "benefits paid in the year ÷ recipients in the year",
        "recipients")
    kinds = selectors.benefits(area.level, area.code, fiscal_year)
    section = Section("welfare", "กองทุนสวัสดิการชุมชน", "Community welfare funds", f)
    section.tables.append({"key": "welfare.benefits_by_kind", "title_th": "สวัสดิการที่จ่ายในปี จำแนกตามประเภท",
                           "title_en": "Benefits paid in the year by kind",
                           "rows": [{"kind": k["kind"], "name": k["name"], "claims": k["claims"],
                                     "recipients": k["recipients"], "amount": f"{k['amount']:.2f}"} for k in kinds]})
    trend = [r for y, r in sorted(rows.items()) if y <= fiscal_year][-6:]
    section.charts.append({"key": "welfare.members_trend", "title_th": "สมาชิก ณ สิ้นปีงบประมาณ",
                           "title_en": "Members at the end of each fiscal year", "unit": "count",
                           "series": [(str(r.fiscal_year), r.members_active) for r in trend]})
    section.charts.append({"key": "welfare.payouts_trend", "title_th": "เงินจ่ายสวัสดิการรายปี (บาท)",
                           "title_en": "Benefits paid each fiscal year (baht)", "unit": "baht",
                           "series": [(str(r.fiscal_year), r.benefits_paid) for r in trend]})
    return section


_SOURCE_TH = {"members": "สมาชิก", "government": "รัฐบาลผ่าน พอช.", "local": "อปท.", "donations": "เงินบริจาค",
              "interest": "ดอกเบี้ย", "other": "อื่น ๆ"}

register_section("welfare", 10, welfare_section)


def server_operator():
    """The reader of a report made on the server (``chumchon annual-report``): whoever runs manage commands reads
    everything, as ``chumchon report`` does — an unsaved user holding a national auditor's role in memory only."""
    from chumchon.access.models import RoleAssignment, User
    from chumchon.access.roles import Role, ScopeKind

    user = User(username="server-operator", is_active=True)
    user._chumchon_assignments = [RoleAssignment(role=Role.AUDITOR, scope_kind=ScopeKind.NATIONAL)]
    return user


def annual_report(fiscal_year: int, area, user=None) -> dict:
    """Every registered section for the year and area as ``user`` may see it (default: the server operator), and
    the province map's figures (members per province)."""
    fy = FiscalYear(fiscal_year)
    user = user or server_operator()
    sections = [s for _, _, build in list(_SECTIONS) if (s := build(fiscal_year, area, user)) is not None]
    provinces = selectors.province_rows(fiscal_year)
    return {"fiscal_year": fiscal_year, "period": {"start": fy.start.isoformat(), "end": fy.end.isoformat()},
            "complete": fy.end < timezone.localdate(),
            "area": {"level": area.level, "code": area.code, "name_th": area.name_th, "name_en": area.name_en},
            "sections": sections,
            # the provinces of the area the reader covers: a subdistrict's report does not show its province's
            "map": {code: r.members_active for code, r in provinces.items()
                    if code in area.provinces and covers_area(user, Level.PROVINCE, code)}}


def report_json(report: dict) -> dict:
    """The report as JSON-ready data: every figure under its stable key."""
    return {
        "fiscal_year": report["fiscal_year"], "period": report["period"], "complete": report["complete"],
        "area": report["area"],
        "figures": {f.key: f.to_json() for s in report["sections"] for f in s.figures},
        "sections": [{"key": s.key, "title_th": s.title_th, "title_en": s.title_en,
                      "figures": [f.key for f in s.figures], "tables": s.tables,
                      "charts": [{**c, "series": [[label, str(v)] for label, v in c["series"]]} for c in s.charts]}
                     for s in report["sections"]],
        "map": {"figure": "members", "by_province": report["map"]},
    }
