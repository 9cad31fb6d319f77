"""Open data (ข้อมูลเปิด): de-identified aggregates per fund, subdistrict and province, and their catalogue.

Never a person: only summary rows are read. **Small-count suppression**: a cell that counts people (members,
new/lapsed/deceased/left members, contribution payments, members covered, benefits paid, recipients) and is
1–4 is published empty (CSV) or ``null`` (JSON), and so is the money cell that belongs to it (contributions with
their payments, benefits paid with their recipients, government matching with the members it covers), so that no
small group's benefit or contribution can be read. Zero is published (nobody is identified by it).
"""

from dataclasses import dataclass

from django.db.models import Max

from chumchon.geo.models import Province, Subdistrict
from chumchon.insights.models import AreaSummary, Level
from chumchon.welfare.models import Fund

SUPPRESS_BELOW = 5
LICENCE = {"id": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
           "url": "https://creativecommons.org/licenses/by/4.0/"}
PEOPLE_COUNTS = ("members_active", "members_new", "members_lapsed", "members_deceased", "members_left",
                 "contribution_payments", "grants_members_covered", "benefit_claims", "recipients")
# money cell -> the people count whose suppression hides it too
LINKED_MONEY = {"contributions": "contribution_payments", "benefits_paid": "recipients",
                "grant_government": "grants_members_covered"}
COLUMNS = ("fiscal_year", "code", "name_th", "province_code", "funds", *PEOPLE_COUNTS, "contributions",
           "grant_government", "grant_local", "grant_donations", "grant_other", "benefits_paid", "fund_money")


@dataclass(frozen=True)
class Dataset:
    slug: str
    level: str
    title_th: str
    title_en: str
    description_th: str
    description_en: str

    @property
    def description(self) -> str:
        """Thai first, then English (catalogue readers show one text)."""
        return f"{self.description_th}\n\n{self.description_en}"


_SUPPRESSED_TH = "จำนวนคนที่น้อยกว่า 5 คน (และเงินที่เป็นของกลุ่มนั้น) ไม่เผยแพร่"
_SUPPRESSED_EN = "Counts of people under 5 (and the money that belongs to them) are suppressed."
DATASETS = {d.slug: d for d in [
    Dataset("funds", Level.FUND, "กองทุนสวัสดิการชุมชน รายกองทุน", "Community welfare funds by fund",
            "ตัวเลขรายปีของกองทุนสวัสดิการชุมชนแต่ละกองทุน: สมาชิก เงินสมทบ เงินสมทบจากรัฐและท้องถิ่น "
            f"สวัสดิการที่จ่าย และเงินกองทุน ณ สิ้นปีงบประมาณ {_SUPPRESSED_TH}",
            "Yearly figures of each community welfare fund: members, contributions, matching money, benefits "
            f"paid and fund money (end of the fiscal year). {_SUPPRESSED_EN}"),
    Dataset("subdistricts", Level.SUBDISTRICT, "กองทุนสวัสดิการชุมชน รายตำบล", "Community welfare funds by subdistrict",
            f"ตัวเลขรายปีของกองทุนสวัสดิการชุมชนในแต่ละตำบล (รหัสกรมการปกครอง) {_SUPPRESSED_TH}",
            f"Yearly figures of the welfare funds of each subdistrict (DOPA code). {_SUPPRESSED_EN}"),
    Dataset("provinces", Level.PROVINCE, "กองทุนสวัสดิการชุมชน รายจังหวัด", "Community welfare funds by province",
            f"ตัวเลขรายปีของกองทุนสวัสดิการชุมชนในแต่ละจังหวัด (รหัสกรมการปกครอง) {_SUPPRESSED_TH}",
            f"Yearly figures of the welfare funds of each province (DOPA code). {_SUPPRESSED_EN}"),
]}


def suppress(record: dict) -> dict:
    """The record with small counts of people (and their money) blanked out as ``None``."""
    out = dict(record)
    for name in PEOPLE_COUNTS:
        if 0 < (record.get(name) or 0) < SUPPRESS_BELOW:
            out[name] = None
    for money, count in LINKED_MONEY.items():
        if out.get(count, 0) is None:
            out[money] = None
    return out


def records(dataset: Dataset, fiscal_year: int | None = None) -> list[dict]:
    rows = AreaSummary.objects.filter(level=dataset.level, month=0).order_by("fiscal_year", "code")
    if fiscal_year:
        rows = rows.filter(fiscal_year=fiscal_year)
    if dataset.level == Level.FUND:
        names = {code: (name, sub[:2]) for code, name, sub in Fund.objects.values_list(
            "organisation__code", "organisation__name_th", "organisation__subdistrict_id")}
    elif dataset.level == Level.SUBDISTRICT:
        names = {code: (name, code[:2]) for code, name in Subdistrict.objects.values_list("code", "name_th")}
    else:
        names = {code: (name, code) for code, name in Province.objects.values_list("code", "name_th")}
    result = []
    for row in rows.iterator(chunk_size=2000):
        name, province = names.get(row.code, ("", ""))
        result.append(published(row, name_th=name, province_code=province))
    return result


def published(row: AreaSummary, **extra) -> dict:
    """A summary row as the public may read it — open data, the public home page: its columns with small
    counts of people and their money suppressed (:func:`suppress`), plus ``extra``."""
    record = {"fiscal_year": row.fiscal_year, "code": row.code, **extra, "funds": row.funds,
              **{c: getattr(row, c) for c in PEOPLE_COUNTS},
              "contributions": row.contributions, "grant_government": row.grant_government,
              "grant_local": row.grant_local, "grant_donations": row.grant_donations,
              "grant_other": row.grant_other, "benefits_paid": row.benefits_paid, "fund_money": row.fund_money}
    return suppress(record)


def modified(dataset: Dataset):
    return AreaSummary.objects.filter(level=dataset.level).aggregate(m=Max("updated"))["m"]
