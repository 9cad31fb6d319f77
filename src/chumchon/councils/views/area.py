"""The area page: councils, organisations by kind, assessments by level and plans supported or linked, for the
user's scope or one province / district / subdistrict in it, for a fiscal year."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chumchon.access.scoping import covers_area
from chumchon.assessments.selectors import instrument_names, level_ranks
from chumchon.councils import selectors
from chumchon.councils.views.common import fiscal_year_asked
from chumchon.geo.models import District, Province, Subdistrict
from chumchon.geo.selectors import area_breadcrumbs


@login_required
def area_summary(request):
    fy = fiscal_year_asked(request)
    area, label, partial = {}, _("Everything in your scope"), False
    for key, model in (("subdistrict", Subdistrict), ("district", District), ("province", Province)):
        code = request.GET.get(key, "").strip()
        if code:
            found = model.objects.filter(code=code).first()
            if found is None:  # a code that names nothing was answered with the user's whole scope
                raise Http404
            area, label = {key: found}, found.name
            # an area wider than (or beside) the user's roles: its figures count only what they may see
            partial = not covers_area(request.user, key, code)
            break
    figures = selectors.area_figures(request.user, fy.be_year, **area)
    names, ranks = instrument_names(), level_ranks()
    english = (get_language() or "th").startswith("en")
    assessed = []
    for code, entry in figures["assessed"].items():
        levels = []
        rank = ranks.get(code, {})  # the best level first, "below every level" last
        for level, count in sorted(entry["levels"].items(), key=lambda item: (-rank.get(item[0], -1), item[0])):
            th, en = entry["labels"].get(level, ("", ""))
            levels.append((((en if english else th) or th) if level != "-" else "-", count))
        assessed.append({"code": code, "name": names.get(code, code), "passed": entry["passed"],
                         "assessed": entry["assessed"], "levels": levels})
    crumbs = area_breadcrumbs(**area, current=_("Councils and plans")) if area else \
        [{"label": _("Councils and plans"), "url": ""}]
    return render(request, "councils/area.html", {
        "fy": fy, "figures": figures, "assessed": assessed, "area_label": label, "area": area, "partial": partial,
        "breadcrumbs": crumbs})
