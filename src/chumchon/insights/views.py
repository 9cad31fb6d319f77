"""Dashboards for every area level with drill-down, and the annual report page: thin views over selectors."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.access.scoping import covers_area
from chumchon.core.i18n import in_reader_language
from chumchon.core.pdf import pdf_response
from chumchon.core.thai.errors import ThaiInputError
from chumchon.core.thai.fiscal import FiscalYear, fiscal_year_of
from chumchon.core.thai.money import format_baht
from chumchon.insights import graphics, report, selectors
from chumchon.insights.models import MONEY_FIGURES, STOCK_MONEY, AreaSummary, Level

# The year's other figures, in the table under the charts.
YEAR_TABLE = ("members_lapsed", "members_deceased", "members_left", "grant_local", "grant_donations", "grant_other",
              "grants_members_covered", "funds_matched", "benefit_claims", "funds_active", "funds_dormant",
              "funds_recovering", "funds_closed")


def _fiscal_year(request, default: int | None = None) -> int:
    raw = request.GET.get("fy")
    if raw:
        try:
            return FiscalYear.parse(raw).be_year
        except (ThaiInputError, TypeError):
            raise Http404 from None
    return default or fiscal_year_of(timezone.localdate()).be_year


def _crumbs(area, user) -> list[dict]:
    """The areas above this one, each a link when the user may look at it (a fund's treasurer sees the names of
    the subdistrict, province, … the fund is in, not links to pages that would refuse them)."""
    crumbs = [{"label": in_reader_language(name_th, name_en),
               "url": reverse("insights:dashboard", args=[level, code]) if covers_area(user, level, code) else ""}
              for level, code, name_th, name_en in area.parents]
    return [*crumbs, {"label": area.name, "url": ""}]


@login_required
def home(request):
    """To the widest area the user may look at."""
    target = selectors.home_area(request.user)
    if target is None:
        raise Http404
    return redirect("insights:dashboard", *target)


def _map(area, fiscal_year: int, user):
    names = graphics.province_map()["names_en"]
    from chumchon.geo.models import Province

    names = dict(Province.objects.values_list("code", "name_th")) or names
    # Figures only of the provinces the user covers (a province needs no query to check): the others are drawn
    # with their names and no number — Khon Kaen's secretariat does not read Chiang Mai's members off the map.
    covered = {code for code in names if covers_area(user, Level.PROVINCE, code)}
    rows = selectors.province_rows(fiscal_year)
    values = {code: rows[code].members_active if code in rows else 0 for code in covered}
    # A province is a link only for those who may open it.
    links = {code: reverse("insights:dashboard", args=[Level.PROVINCE, code]) for code in area.provinces
             if code in covered}
    svg = graphics.choropleth(values, names, title=_("Members by province"), links=links,
                              highlight=set(area.provinces), fmt=lambda v: f"{v:,}")
    return svg, graphics.legend([v for c, v in values.items() if c in area.provinces])


@login_required
def dashboard(request, level: str, code: str):
    area = selectors.area_for_user_or_404(request.user, level, code)
    series = selectors.series(level, code)
    running = fiscal_year_of(timezone.localdate()).be_year
    years = [r.fiscal_year for r in series if r.fiscal_year <= running]  # a year not begun is not offered
    fiscal_year = _fiscal_year(request, max(years, default=None))
    row = next((r for r in series if r.fiscal_year == fiscal_year), None)
    trend = [r for r in series if r.fiscal_year <= fiscal_year][-6:]
    money = [(AreaSummary._meta.get_field(name).verbose_name, getattr(row, name))
             for name in STOCK_MONEY] if row else []
    year = [(AreaSummary._meta.get_field(name).verbose_name, getattr(row, name), name in MONEY_FIGURES)
            for name in YEAR_TABLE] if row else []
    map_svg, map_legend = _map(area, fiscal_year, request.user) if level != Level.FUND else (None, [])
    context = {
        "area": area, "row": row, "fiscal_year": fiscal_year, "years": years, "year_ended": fiscal_year < running,
        "breadcrumbs": _crumbs(area, request.user),
        "money": money, "year": year, "fund_money": sum((v for _, v in money), 0),
        "members_chart": graphics.bar_chart([(str(r.fiscal_year), r.members_active) for r in trend],
                                            title=_("Members at the end of each fiscal year"),
                                            fmt=lambda v: f"{v:,}"),
        "payouts_chart": graphics.bar_chart([(str(r.fiscal_year), r.benefits_paid) for r in trend],
                                            title=_("Benefits paid each fiscal year (baht)"), fmt=format_baht),
        "months_chart": graphics.bar_chart(
            [(str(m.month), m.contributions) for m in selectors.months(level, code, fiscal_year)],
            title=_("Contributions by month (baht)"), fmt=format_baht, width=360),
        "benefits": selectors.benefits(level, code, fiscal_year),
        "children": selectors.children(request.user, area, fiscal_year),
        "child_level": selectors.CHILD.get(level, ""),
        "map_svg": map_svg, "map_legend": map_legend,
    }
    return render(request, "insights/dashboard.html", context)


@login_required
def dashboard_councils(request, level: str, code: str):
    """The dashboard's councils block, fetched after the page (htmx): it counts from the councils' own tables, not
    the area summaries, so the dashboard itself stays as quick as its summaries."""
    area = selectors.area_for_user_or_404(request.user, level, code)
    fiscal_year = _fiscal_year(request, fiscal_year_of(timezone.localdate()).be_year)
    return render(request, "insights/_dashboard_councils.html",
                  {"councils": _councils(request.user, fiscal_year, area), "fiscal_year": fiscal_year})


def _councils(user, fiscal_year: int, area) -> dict | None:
    """The area's councils, organisations, model communities and plans for the year (the annual report's
    figures), and the councils' own area page for more; None for a fund, or where the user sees no council."""
    from chumchon.insights.report_councils import area_council_figures

    figures = area_council_figures(user, fiscal_year, area)
    if not figures or not figures["councils"]:
        return None
    query = {Level.PROVINCE: "province", Level.DISTRICT: "district", Level.SUBDISTRICT: "subdistrict"}.get(area.level)
    # the councils' area page has no region: a region's block links nowhere rather than to another area's figures
    figures["link"] = (None if area.level == Level.REGION else reverse("councils:area_summary")
                       + (f"?{query}={area.code}&fy={fiscal_year}" if query else f"?fy={fiscal_year}"))
    return figures


@login_required
def annual_report_page(request, fiscal_year: int, level: str, code: str):
    area = selectors.area_for_user_or_404(request.user, level, code)
    try:
        FiscalYear(fiscal_year)
    except ThaiInputError:
        raise Http404 from None
    data = report.annual_report(fiscal_year, area, request.user)
    fmt = request.GET.get("format", "html")
    if fmt == "json":
        return JsonResponse(report.report_json(data), json_dumps_params={"ensure_ascii": False})
    context = report_context(data)
    if fmt == "pdf":
        return pdf_response("insights/pdf/annual_report.html", context, filename=f"annual-report-{fiscal_year}.pdf")
    return render(request, "insights/annual_report.html", {**context, "breadcrumbs": _crumbs(area, request.user)})


def report_context(data: dict) -> dict:
    """What the report's templates need: the report, its period and the map."""
    from chumchon.geo.models import Province
    from chumchon.ledger.statements import period_label

    fy = FiscalYear(data["fiscal_year"])
    names = dict(Province.objects.values_list("code", "name_th"))
    map_svg = graphics.choropleth(data["map"], names, title="สมาชิกตามจังหวัด (Members by province)",
                                  highlight=set(data["map"]) or None, fmt=lambda v: f"{v:,}")
    return {"report": data, "period_label": period_label(fy.start, fy.end), "map_svg": map_svg}
