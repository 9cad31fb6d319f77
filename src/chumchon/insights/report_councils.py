"""The annual report's section on community organisation councils (สภาองค์กรชุมชน), local development plans and
strong-community assessments, from ``councils.selectors.area_figures`` — the function the councils' own area page
reads — for the report's area and year. Every ratio names its denominator; the seed's council percentage divides
by the number of local administrations (7,795 of 7,825), and its "assessed" percentage by that number too though
its sentence says councils: ours divides assessed councils by councils, and says so.

These figures are counted from the councils' tables (councils, their members, registrations, plans, assessments:
tens of thousands of rows nationally, not millions), not from area summaries.
"""

from decimal import Decimal

from chumchon.geo.models import LocalAdministration, Region
from chumchon.insights.models import Level
from chumchon.insights.report import Figure, Section, percent, register_section


def area_council_figures(user, fiscal_year: int, area) -> dict | None:
    """The councils' figures of a dashboard or report area (nation, region, province, district, subdistrict) as
    the user may see them; None for a fund."""
    return _figures(user, fiscal_year, area)


def _figures(user, fiscal_year: int, area) -> dict | None:
    from chumchon.councils.selectors import area_figures

    if area.level == Level.NATION:
        return area_figures(user, fiscal_year, by_kind=False)
    if area.level in (Level.PROVINCE, Level.DISTRICT, Level.SUBDISTRICT):
        return area_figures(user, fiscal_year, by_kind=False, **{area.level: area.code})
    if area.level == Level.REGION:  # one count over all its provinces: an organisation of two of them counts once
        provinces = Region.objects.get(pk=area.code).provinces.values_list("code", flat=True)
        return area_figures(user, fiscal_year, provinces=list(provinces), by_kind=False)
    return None  # a fund: no councils of its own


def _local_administrations(area) -> int:
    qs = LocalAdministration.objects.all()
    if area.level == Level.REGION:
        qs = qs.filter(subdistrict__province__in=Region.objects.get(pk=area.code).provinces.all())
    elif area.level == Level.PROVINCE:
        qs = qs.filter(subdistrict__province=area.code)
    elif area.level == Level.DISTRICT:
        qs = qs.filter(subdistrict__district=area.code)
    elif area.level == Level.SUBDISTRICT:
        qs = qs.filter(subdistrict=area.code)
    return qs.count()


def councils_section(fiscal_year: int, area, user) -> Section | None:
    """สภาองค์กรชุมชน แผนพัฒนาชุมชนท้องถิ่น และชุมชนเข้มแข็ง."""
    data = _figures(user, fiscal_year, area)
    if data is None:
        return None
    end_th, end_en = f"30 ก.ย. {fiscal_year}", f"30 Sep {fiscal_year - 543}"
    f: list[Figure] = []

    def add(key, th, en, value, unit, formula_th, formula_en, denominator=""):
        f.append(Figure(f"councils.{key}", th, en, value, unit, formula_th, formula_en,
                        f"councils.{denominator}" if denominator else ""))

    local = _local_administrations(area)
    quality = data["assessed"].get("council-quality", {"levels": {}, "labels": {}, "assessed": 0, "passed": 0})
    add("councils", "สภาองค์กรชุมชน", "Community organisation councils", data["councils"], "count",
        f"นับสภาที่จัดตั้งแล้ว ณ {end_th}", f"councils founded by {end_en}")
    add("local_administrations", "องค์กรปกครองส่วนท้องถิ่น", "Local administrations", local, "count",
        "นับ อปท. ในทะเบียนพื้นที่ (ตามที่ตั้งสำนักงาน)", "local administrations registered (by office location)")
    add("councils_share", "สัดส่วนสภาต่อ อปท.", "Councils per local administration",
        percent(data["councils"], local), "percent", "สภาองค์กรชุมชน ÷ อปท. × 100",
        "councils ÷ local administrations × 100", "local_administrations")
    add("members", "สมาชิกสภา", "Council members", data["members"], "count",
        f"นับสมาชิกที่อยู่ในวาระ ณ {end_th}", f"members serving on {end_en}")
    add("members_per_council", "สมาชิกเฉลี่ยต่อสภา", "Members per council",
        (Decimal(data["members"]) / data["councils"]).quantize(Decimal("0.01")) if data["councils"] else
        Decimal("0.00"), "count", "สมาชิกสภา ÷ สภาองค์กรชุมชน", "council members ÷ councils", "councils")
    add("organisations", "องค์กรชุมชนที่จดแจ้ง", "Registered community organisations", data["organisations"],
        "count", f"นับองค์กรที่จดแจ้งไว้และยังไม่ถูกเพิกถอน ณ {end_th}",
        f"organisations with a live registration on {end_en}")
    add("organisations_new", "องค์กรที่จดแจ้งใหม่ในปี", "Organisations registered in the year",
        data["organisations_new"], "count", "นับองค์กรที่จดแจ้งในปีงบประมาณ", "organisations registered in the year")
    add("assessed", "สภาที่ประเมินคุณภาพในปี", "Councils assessed in the year", quality["assessed"], "count",
        "นับสภาที่ส่งผลประเมินคุณภาพของปี (ผลทบทวนแทนผลประเมินตนเอง)",
        "councils with a submitted quality assessment of the year (a review replaces the self-assessment)")
    add("assessed_share", "สัดส่วนสภาที่ประเมิน", "Share of councils assessed",
        percent(quality["assessed"], data["councils"]), "percent", "สภาที่ประเมิน ÷ สภาองค์กรชุมชน × 100",
        "councils assessed ÷ councils × 100", "councils")
    for level, count in sorted(quality["levels"].items()):
        th, en = quality["labels"].get(level, ("", ""))
        add(f"grade_{level}", f"ระดับ {th or level}", f"Grade {en or level}", count, "count",
            f"นับสภาที่ได้ระดับ {th or level}", f"councils assessed at {en or level}")
    add("model_communities", "ตำบลต้นแบบชุมชนเข้มแข็ง", "Model strong communities", data["model_communities"],
        "count", "นับตำบลที่ผลประเมินชุมชนเข้มแข็งของปีผ่านเกณฑ์ (ร้อยละ 80 ขึ้นไป)",
        "subdistricts whose strong-community assessment of the year passed (80 % or more)")
    add("strong_assessed", "ตำบลที่ประเมินชุมชนเข้มแข็ง", "Subdistricts assessed (strong community)",
        data["strong_assessed"], "count", "นับตำบลที่ส่งผลประเมินชุมชนเข้มแข็งของปี",
        "subdistricts with a submitted strong-community assessment of the year")
    add("plans", "แผนพัฒนาชุมชนท้องถิ่นในปี", "Local development plans of the year", data["plans"], "count",
        "นับแผนของปีงบประมาณ", "plans of the fiscal year")
    add("plans_supported", "แผนที่ อปท. สนับสนุนงบประมาณ", "Plans given budget by a local administration",
        data["plans_supported"], "count", "นับแผนที่มีอย่างน้อยหนึ่งกิจกรรมได้งบจาก อปท.",
        "plans with at least one item given budget by a local administration")
    add("plans_supported_share", "สัดส่วนแผนที่ อปท. สนับสนุน", "Share of plans given local budget",
        percent(data["plans_supported"], data["plans"]), "percent", "แผนที่ อปท. สนับสนุน ÷ แผนในปี × 100",
        "plans given local budget ÷ plans × 100", "plans")
    add("supported_amount", "งบประมาณจาก อปท.", "Budget from local administrations", data["supported_amount"],
        "baht", "ผลรวมงบที่ อปท. ให้กิจกรรมในแผน", "budget local administrations gave to plan items")
    add("plans_linked", "แผนที่เชื่อมกับแผนของหน่วยงาน", "Plans linked into agencies' plans", data["plans_linked"],
        "count", "นับแผนที่มีกิจกรรมเข้าแผนของหน่วยงานหรือ อปท.",
        "plans with at least one item taken into an agency's or local administration's plan")
    add("plans_linked_share", "สัดส่วนแผนที่เชื่อมโยง", "Share of plans linked",
        percent(data["plans_linked"], data["plans"]), "percent", "แผนที่เชื่อมโยง ÷ แผนในปี × 100",
        "plans linked ÷ plans × 100", "plans")
    return Section("councils", "สภาองค์กรชุมชนและแผนพัฒนาชุมชนท้องถิ่น",
                   "Community organisation councils and local development plans", f)


register_section("councils", 20, councils_section)
