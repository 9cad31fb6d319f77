"""Reads of instruments (national reference data, seen by every signed-in user) and of assessments (scoped), and
the year-on-year comparison of one subject."""

from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from chumchon.access.roles import Action
from chumchon.access.scoping import restrict
from chumchon.assessments.models import Answer, Assessment, Instrument, LevelBand, _bilingual, subject_key
from chumchon.core.models import Organisation
from chumchon.geo.models import Subdistrict


def instrument_list() -> QuerySet[Instrument]:
    return Instrument.objects.annotate(item_count=Count("items", distinct=True),
                                       used=Count("assessments", distinct=True)).order_by("code", "-fiscal_year",
                                                                                          "-revision")


def instrument_names() -> dict[str, str]:
    """Instrument code → the name of its newest version, in the user's language."""
    names: dict[str, str] = {}
    for instrument in Instrument.objects.order_by("code", "-fiscal_year", "-revision"):
        names.setdefault(instrument.code, instrument.name)
    return names


def level_ranks() -> dict[str, dict[str, Decimal]]:
    """Instrument code → each level's code → its threshold (the band's ``min_percent``; the highest any version
    gave it), to list levels from the best down rather than by their codes."""
    ranks: dict[str, dict[str, Decimal]] = {}
    for code, level, minimum in LevelBand.objects.values_list("instrument__code", "code", "min_percent"):
        levels = ranks.setdefault(code, {})
        levels[level] = max(minimum, levels.get(level, minimum))
    return ranks


def instrument_detail(instrument: Instrument) -> dict:
    dimensions = list(instrument.dimensions.prefetch_related("items").order_by("number"))
    return {"dimensions": dimensions, "bands": list(instrument.bands.order_by("-min_percent")),
            "max_score": sum((i.points for d in dimensions for i in d.items.all()), Decimal("0"))}


def assessment_list(user, *, fiscal_year: int | None = None, instrument_code: str = "",
                    level: str = "") -> QuerySet[Assessment]:
    qs = restrict(Assessment.objects.all(), user, Action.VIEW)
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if instrument_code:
        qs = qs.filter(instrument_code=instrument_code)
    if level:
        qs = qs.filter(level_code=level)
    return qs.select_related("instrument", "subdistrict__province", "organisation").order_by(
        "-fiscal_year", "instrument_code", "subject_key", "mode")


def assessments_of(user, *, subdistrict=None, organisation=None) -> QuerySet[Assessment]:
    """The submitted assessments of a subject the user may see, newest first: of an organisation, or of a
    subdistrict (the strong-community indicators), or both (a council's page shows its own grade and its
    tambon's strong-community level)."""
    subject = Q(pk__in=[])
    if organisation is not None:
        subject |= Q(organisation=organisation)
    if subdistrict is not None:
        subject |= Q(subject_key=subject_key(subdistrict=subdistrict))
    return (restrict(Assessment.objects.filter(subject, status=Assessment.Status.SUBMITTED), user, Action.VIEW)
            .select_related("instrument").order_by("-fiscal_year", "instrument_code", "mode"))


def assessment_answers(assessment: Assessment) -> dict[str, Answer]:
    return {a.item.code: a for a in assessment.answers.select_related("item")}


def history(user, assessment: Assessment) -> list[Assessment]:
    """The subject's submitted assessments of the same kind with the same instrument, oldest first."""
    return list(restrict(Assessment.objects.filter(
        instrument_code=assessment.instrument_code, subject_key=assessment.subject_key, mode=assessment.mode,
        status=Assessment.Status.SUBMITTED, fiscal_year__lte=assessment.fiscal_year), user, Action.VIEW)
        .order_by("fiscal_year"))


def dimensions_over_time(assessments: list[Assessment]) -> dict:
    """One row per dimension (by number) with its percent in each year: the chart's data."""
    years = [a.fiscal_year for a in assessments]
    rows: dict[int, dict] = {}
    for index, a in enumerate(assessments):
        for d in a.dimension_scores:
            row = rows.setdefault(d["number"], {"number": d["number"], "name_th": d["name_th"],
                                                "name_en": d["name_en"], "name": _bilingual(d["name_th"], d["name_en"]),
                                                "percents": [None] * len(assessments)})
            row["percents"][index] = Decimal(d["percent"])
    return {"years": years, "rows": [rows[k] for k in sorted(rows)]}


def items_dropped(user, previous: Assessment, current: Assessment) -> list[dict]:
    """Items (matched by code, since each year may use another instrument revision) that earned fewer points this
    time than last time, the biggest drop first."""
    before = {a.item.code: a for a in previous.answers.select_related("item")}
    dropped = []
    for answer in current.answers.select_related("item"):
        old = before.get(answer.item.code)
        old_points = old.points if old is not None else Decimal("0")
        if answer.points < old_points:
            dropped.append({"code": answer.item.code, "text": answer.item.text, "before": old_points,
                            "after": answer.points, "drop": old_points - answer.points})
    return sorted(dropped, key=lambda d: (-d["drop"], d["code"]))


SUBJECTS_LISTED = 500  # suggestions offered as the subject is typed; a wider scope types the code


def subject_suggestions(user) -> list[tuple[str, str]]:
    """What the user may assess, as ``(code, label)``: the subdistricts and organisations of their scope (the
    subdistricts where an organisation of theirs is), none when there are more than :data:`SUBJECTS_LISTED`."""
    organisations = restrict(Organisation.objects.exclude(code=""), user, Action.CHANGE)
    listed = list(organisations.order_by("code").values_list("code", "name_th")[:SUBJECTS_LISTED + 1])
    places = list(Subdistrict.objects.filter(code__in=organisations.values("subdistrict_id"))
                  .order_by("code").values_list("code", "name_th", "district__name_th")[:SUBJECTS_LISTED + 1])
    if len(listed) + len(places) > SUBJECTS_LISTED:
        return []
    return [(code, f"ตำบล{name} อำเภอ{district}") for code, name, district in places] + listed
