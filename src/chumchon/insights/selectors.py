"""Reads of the insights app: areas a user may look at, and their summary rows. Dashboards and the annual report
read only summary rows (a handful of queries whatever the number of members)."""

from dataclasses import dataclass

from django.http import Http404

from chumchon.access.roles import Action, ScopeKind
from chumchon.access.scoping import assignments_of, covers_area, get_scoped_or_404, restrict
from chumchon.core.i18n import in_reader_language, reader_lang
from chumchon.geo.models import District, Province, Region, Subdistrict
from chumchon.insights.models import NATION_CODE, AreaSummary, BenefitSummary, Level
from chumchon.ledger.statements import area_names
from chumchon.welfare.models import BenefitKind, Fund

CHILD = {Level.NATION: Level.REGION, Level.REGION: Level.PROVINCE, Level.PROVINCE: Level.DISTRICT,
         Level.DISTRICT: Level.SUBDISTRICT, Level.SUBDISTRICT: Level.FUND}


@dataclass(frozen=True)
class Area:
    level: str
    code: str
    name_th: str
    name_en: str
    parents: tuple = ()  # (level, code, name_th, name_en) from the nation down, not including this area
    provinces: frozenset = frozenset()  # DOPA codes of the provinces it lies in (for the map)

    @property
    def name(self) -> str:
        """The name in the reader's language (Thai unless English was chosen)."""
        return in_reader_language(self.name_th, self.name_en)


def _province_set(level: str, code: str) -> frozenset:
    if level == Level.NATION:
        return frozenset(Province.objects.values_list("code", flat=True))
    if level == Level.REGION:
        return frozenset(Region.objects.get(pk=code).provinces.values_list("code", flat=True))
    return frozenset({code[:2]})


def area_of(level: str, code: str) -> Area:
    """The area with its name and the chain of areas above it; Http404 for an unknown one."""
    try:
        if level == Level.FUND:
            fund = Fund.objects.select_related("organisation__subdistrict").get(organisation__code=code)
            sub = fund.organisation.subdistrict
            parent = area_of(Level.SUBDISTRICT, sub.code)
            return Area(level, code, fund.name, fund.organisation.name_en or fund.name,
                        (*parent.parents, (Level.SUBDISTRICT, sub.code, parent.name_th, parent.name_en)),
                        frozenset({sub.province_id}))
        if level == Level.REGION and not str(code).isdigit():
            raise Http404
        if level not in (Level.NATION, Level.REGION, Level.PROVINCE, Level.DISTRICT, Level.SUBDISTRICT) or (
                level == Level.NATION and code != NATION_CODE):
            raise Http404
        name_th, name_en = area_names(level, code)
    except (Fund.DoesNotExist, Region.DoesNotExist, Province.DoesNotExist, District.DoesNotExist,
            Subdistrict.DoesNotExist):
        raise Http404 from None
    chain: list = []
    if level in (Level.REGION, Level.PROVINCE, Level.DISTRICT, Level.SUBDISTRICT):
        chain.append((Level.NATION, NATION_CODE, *area_names(Level.NATION)))
    province = code[:2] if level in (Level.PROVINCE, Level.DISTRICT, Level.SUBDISTRICT) else None
    if province:
        region = Region.objects.filter(scheme__is_default=True, provinces=province).first()
        if region:
            chain.append((Level.REGION, str(region.pk), region.name_th, region.name_en))
        if level != Level.PROVINCE:
            chain.append((Level.PROVINCE, province, *area_names(Level.PROVINCE, province)))
    if level == Level.SUBDISTRICT:
        chain.append((Level.DISTRICT, code[:4], *area_names(Level.DISTRICT, code[:4])))
    return Area(level, code, name_th, name_en, tuple(chain), _province_set(level, code))


def area_for_user_or_404(user, level: str, code: str) -> Area:
    """The area, if one of the user's roles covers all of it (a fund: the fund is in their scope); else 404."""
    if level == Level.FUND:
        get_scoped_or_404(Fund.objects.all(), user, Action.VIEW, organisation__code=code)
        return area_of(level, code)
    area = area_of(level, code)
    if not covers_area(user, level, code):
        raise Http404
    return area


def assignment_area(a) -> tuple[str, str] | None:
    """The area ``(level, code)`` a role assignment's scope is — the country, a region, a province, a district or
    a subdistrict — or None (one organisation)."""
    return {ScopeKind.NATIONAL: (Level.NATION, NATION_CODE),
            ScopeKind.REGION: (Level.REGION, str(a.region_id)),
            ScopeKind.PROVINCE: (Level.PROVINCE, a.province_id),
            ScopeKind.DISTRICT: (Level.DISTRICT, a.district_id),
            ScopeKind.SUBDISTRICT: (Level.SUBDISTRICT, a.subdistrict_id)}.get(a.scope_kind)


def home_area(user) -> tuple[str, str] | None:
    """The widest area the user may look at: the nation, else their region/province/…, else their fund."""
    order = {ScopeKind.NATIONAL: 0, ScopeKind.REGION: 1, ScopeKind.PROVINCE: 2, ScopeKind.DISTRICT: 3,
             ScopeKind.SUBDISTRICT: 4}
    for a in sorted(assignments_of(user), key=lambda a: order.get(a.scope_kind, 9)):
        target = assignment_area(a)
        if target and covers_area(user, *target):
            return target
    fund = restrict(Fund.objects.all(), user, Action.VIEW).select_related("organisation").first()
    return (Level.FUND, fund.code) if fund else None


def series(level: str, code: str) -> list[AreaSummary]:
    """The area's year rows, oldest first."""
    return list(AreaSummary.objects.filter(level=level, code=code, month=0).order_by("fiscal_year"))


def months(level: str, code: str, fiscal_year: int) -> list[AreaSummary]:
    rows = {r.month: r for r in AreaSummary.objects.filter(level=level, code=code, fiscal_year=fiscal_year,
                                                            month__gt=0)}
    order = [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    return [rows.get(m) or AreaSummary(level=level, code=code, fiscal_year=fiscal_year, month=m) for m in order]


def children(user, area: Area, fiscal_year: int) -> list[dict]:
    """The year's rows of the areas one level down (the league table), with names and whether the user may open
    them; an area of the level below with nothing recorded is not listed."""
    level = CHILD.get(area.level)
    if level is None:
        return []
    rows = AreaSummary.objects.filter(level=level, fiscal_year=fiscal_year, month=0)
    name = "name_en" if reader_lang() == "en" else "name_th"  # a place's name in the reader's language
    if level == Level.REGION:
        names = {str(r.pk): getattr(r, name) or r.name_th for r in Region.objects.filter(scheme__is_default=True)}
    elif level == Level.PROVINCE:
        names = dict(Region.objects.get(pk=area.code).provinces.values_list("code", name))
    elif level == Level.DISTRICT:
        names = dict(District.objects.filter(province_id=area.code).values_list("code", name))
    elif level == Level.SUBDISTRICT:
        names = dict(Subdistrict.objects.filter(district_id=area.code).values_list("code", name))
    else:
        funds = Fund.objects.filter(organisation__subdistrict_id=area.code)
        names = dict(funds.values_list("organisation__code", "organisation__name_th"))  # a fund's own name
        visible = set(restrict(funds, user, Action.VIEW).values_list("organisation__code", flat=True))
    rows = rows.filter(code__in=list(names))
    result = []
    for row in rows:
        result.append({"code": row.code, "name": names[row.code], "row": row,
                       "can_open": level != Level.FUND or row.code in visible})
    return sorted(result, key=lambda r: -r["row"].members_active)


def province_rows(fiscal_year: int) -> dict[str, AreaSummary]:
    return {r.code: r for r in AreaSummary.objects.filter(level=Level.PROVINCE, fiscal_year=fiscal_year, month=0)}


def benefits(level: str, code: str, fiscal_year: int) -> list[dict]:
    rows = list(BenefitSummary.objects.filter(level=level, code=code, fiscal_year=fiscal_year, month=0)
                .order_by("-amount"))
    kinds = {k.code: k for k in BenefitKind.objects.all()}
    return [{"kind": r.kind, "name": kinds[r.kind].name if r.kind in kinds else r.kind, "claims": r.claims,
             "recipients": r.recipients, "amount": r.amount} for r in rows]
