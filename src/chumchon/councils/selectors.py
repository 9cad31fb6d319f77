"""Reads of councils, community organisations and plans — always scoped — and the figures of an area for a fiscal
year (the area page and the annual report read the same function)."""

import datetime
from collections import Counter
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location, restrict
from chumchon.core.thai.fiscal import FiscalYear
from chumchon.councils.models import (
    CommunityOrganization,
    Council,
    CouncilMember,
    DevelopmentPlan,
    Meeting,
    PlanItem,
    PlanItemLink,
    Proposal,
    Registration,
)

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=16, decimal_places=2))


def _serving(prefix: str, day: datetime.date) -> Q:
    return (Q(**{f"{prefix}term_start__lte": day})
            & (Q(**{f"{prefix}term_end__isnull": True}) | Q(**{f"{prefix}term_end__gte": day})))


def _place_search(text: str) -> Q:
    """An organisation found by what people type: its name or code, or its tambon, amphoe or province by name."""
    return (Q(organisation__name_th__icontains=text) | Q(organisation__code__icontains=text)
            | Q(organisation__subdistrict__name_th__icontains=text)
            | Q(organisation__subdistrict__district__name_th__icontains=text)
            | Q(organisation__subdistrict__province__name_th__icontains=text))


def council_list(user, on: datetime.date | None = None, *, text: str = "") -> QuerySet[Council]:
    on = on or timezone.localdate()
    members = (CouncilMember.objects.filter(_serving("", on), council=OuterRef("pk")).values("council")
               .annotate(n=Count("pk")).values("n"))
    registered = (Registration.objects.filter(council=OuterRef("pk"), deregistered_on=None).values("council")
                  .annotate(n=Count("pk")).values("n"))
    councils = restrict(Council.objects.all(), user, Action.VIEW)
    if text:
        councils = councils.filter(_place_search(text))
    return (councils
            .select_related("organisation__subdistrict__district__province", "organisation__local_administration")
            .annotate(members_serving=Coalesce(Subquery(members), 0),
                      organisations_registered=Coalesce(Subquery(registered), 0))
            .order_by("organisation__code"))


# The order a council lists its members in: chair, vice chair, secretary, treasurer, then members (the codes'
# alphabetical order put the vice chair last).
POSITION_ORDER = Case(*[When(position=p, then=Value(n)) for n, p in enumerate(
    [CouncilMember.Position.CHAIR, CouncilMember.Position.VICE_CHAIR, CouncilMember.Position.SECRETARY,
     CouncilMember.Position.TREASURER])], default=Value(9))


def council_members(user, council: Council) -> QuerySet[CouncilMember]:
    return (restrict(CouncilMember.objects.filter(council=council), user, Action.VIEW)
            .select_related("represents__organisation").order_by("-term_start", POSITION_ORDER, "name"))


def next_registration_number(council: Council) -> str:
    """The number the council's next registration would take: one after the highest plain number it has given,
    as wide as that one (``012`` → ``013``); ``001`` for the first. Numbers with other characters are left out."""
    numbers = [n for n in Registration.objects.filter(council=council).values_list("number", flat=True)
               if n.isdigit()]
    if not numbers:
        return "001"
    top = max(numbers, key=int)
    return f"{int(top) + 1:0{len(top)}d}"


def council_registrations(user, council: Council) -> QuerySet[Registration]:
    return (restrict(Registration.objects.filter(council=council), user, Action.VIEW)
            .select_related("organization__organisation").order_by("deregistered_on", "number"))


def council_proposals(user, council: Council, meeting: Meeting | None = None) -> QuerySet[Proposal]:
    qs = Proposal.objects.filter(council=council)
    if meeting is not None:
        qs = qs.filter(meeting=meeting)
    return restrict(qs, user, Action.VIEW).prefetch_related("follow_ups").order_by("-sent_on", "-id")


def council_meetings(user, council: Council) -> QuerySet[Meeting]:
    return restrict(Meeting.objects.filter(council=council), user, Action.VIEW).order_by("-date", "-id")


def council_plans(user, council: Council) -> QuerySet[DevelopmentPlan]:
    return restrict(DevelopmentPlan.objects.filter(council=council), user, Action.VIEW).order_by("-fiscal_year")


def shows_contact(user, organization: CommunityOrganization) -> bool:
    """Whether the organisation's contact (a leader's phone: personal data) is shown to ``user``: those who keep
    its record (may change it) or may see personal data; others see it masked, and the export leaves it out."""
    mine = CommunityOrganization.objects.filter(pk=organization.pk)
    return (restrict(mine, user, Action.CHANGE).exists()
            or restrict(mine, user, Action.VIEW_PERSONAL).exists())


def organisation_edit_council(user, organization: CommunityOrganization) -> Council | None:
    """The council through whose register ``user`` may correct the organisation (its edit page lives under that
    council): one it is registered with — live registrations first — that the user may record for, when the user
    may change the organisation itself; otherwise None (and no edit link)."""
    mine = CommunityOrganization.objects.filter(pk=organization.pk)
    if not restrict(mine, user, Action.CHANGE).exists():
        return None
    registrations = (Registration.objects.filter(organization=organization)
                     .select_related("council__organisation__subdistrict")
                     .order_by(F("deregistered_on").asc(nulls_first=True), "-registered_on", "-id"))
    for registration in registrations:
        council = registration.council
        if allows_location(user, Action.CHANGE, organisation=council.organisation,
                           subdistrict=council.organisation.subdistrict):
            return council
    return None


def organisation_registrations(user, organization: CommunityOrganization) -> QuerySet[Registration]:
    """An organisation's registrations (live and ended) with the councils the user may see."""
    return (restrict(Registration.objects.filter(organization=organization), user, Action.VIEW)
            .select_related("council__organisation").order_by("-registered_on", "-id"))


def organisation_list(user, kind: str = "", *, text: str = "") -> QuerySet[CommunityOrganization]:
    live = Registration.objects.filter(deregistered_on=None).select_related("council__organisation")
    qs = restrict(CommunityOrganization.objects.all(), user, Action.VIEW)
    if kind:
        qs = qs.filter(kind=kind)
    if text:
        qs = qs.filter(_place_search(text))
    return (qs.select_related("organisation__subdistrict__province")
            .prefetch_related(Prefetch("registrations", queryset=live, to_attr="live_registrations"))
            .order_by("organisation__code"))


def _plan_amounts():
    needed = (PlanItem.objects.filter(plan=OuterRef("pk")).values("plan")
              .annotate(s=Sum("budget_needed")).values("s"))
    given = (PlanItemLink.objects.filter(item__plan=OuterRef("pk")).values("item__plan")
             .annotate(s=Sum("amount")).values("s"))
    items = PlanItem.objects.filter(plan=OuterRef("pk")).values("plan").annotate(n=Count("pk")).values("n")
    return {"budget_needed": Coalesce(Subquery(needed), ZERO), "amount_given": Coalesce(Subquery(given), ZERO),
            "item_count": Coalesce(Subquery(items), 0)}


def plan_list(user, fiscal_year: int | None = None) -> QuerySet[DevelopmentPlan]:
    qs = restrict(DevelopmentPlan.objects.all(), user, Action.VIEW)
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    return (qs.select_related("subdistrict__district__province", "council__organisation")
            .annotate(**_plan_amounts()).order_by("-fiscal_year", "subdistrict__code"))


def plan_items(plan: DevelopmentPlan) -> QuerySet[PlanItem]:
    return plan.items.prefetch_related(Prefetch("links", queryset=PlanItemLink.objects.select_related(
        "local_administration"))).order_by("number")


def _in_area(qs: QuerySet, path: str, *, province=None, district=None, subdistrict=None, provinces=None) -> QuerySet:
    if subdistrict is not None:
        return qs.filter(**{path: subdistrict})
    if district is not None:
        return qs.filter(**{f"{path}__district": district})
    if province is not None:
        return qs.filter(**{f"{path}__province": province})
    if provinces is not None:
        return qs.filter(**{f"{path}__province__in": list(provinces)})
    return qs


def _assessed_by_level(user, fiscal_year: int, area: dict) -> dict[str, dict]:
    """instrument code → {level label → subjects}, one result per subject: a reviewed assessment counts instead of
    the self-assessment when there is one."""
    from chumchon.assessments.models import Assessment

    rows = _in_area(restrict(Assessment.objects.filter(fiscal_year=fiscal_year, status="submitted"), user,
                             Action.VIEW), "subdistrict", **area)
    best: dict[tuple[str, str], dict] = {}
    for row in rows.values("instrument_code", "subject_key", "mode", "level_code", "level_label_th",
                           "level_label_en", "passed"):
        key = (row["instrument_code"], row["subject_key"])
        if key not in best or row["mode"] == "review":
            best[key] = row
    out: dict[str, dict] = {}
    for (code, _), row in sorted(best.items()):
        entry = out.setdefault(code, {"levels": Counter(), "labels": {}, "passed": 0, "assessed": 0})
        entry["levels"][row["level_code"] or "-"] += 1
        entry["labels"][row["level_code"] or "-"] = (row["level_label_th"], row["level_label_en"])
        entry["assessed"] += 1
        entry["passed"] += 1 if row["passed"] else 0
    return out


def area_figures(user, fiscal_year: int, *, province=None, district=None, subdistrict=None, provinces=None,
                 model_target: int | None = None, by_kind: bool = True) -> dict:
    """The figures of an area (the whole scope when no area is given) for a fiscal year (B.E.), as the user may
    see them; ``provinces`` (codes) is an area of several provinces — a region — counted as one, so an
    organisation registered with councils in two of them counts once. The annual report calls this too:

    - ``councils``: councils founded by the end of the year; ``members``: members serving on the year's last day;
    - ``organisations``: organisations with a live registration at the year's end, ``organisations_by_kind``
      (empty when ``by_kind`` is false), ``organisations_new``: registered during the year (de-registered since or not);
    - ``assessed``: per instrument code, subjects by level (``levels``), ``passed`` and ``assessed``;
      ``councils_by_grade`` is the council-quality one;
    - ``model_communities``: subdistricts whose strong-community assessment of the year passed (≥ 80 %), with
      ``model_target`` and ``model_percent`` of it when a target is given;
    - ``plans``: plans of the year; ``plans_supported`` and ``supported_amount``: plans with at least one item given
      budget by a local administration, and that budget; ``plans_linked`` and ``linked_amount``: plans with at
      least one item taken into any agency's or local administration's plan, and all budget given to them.
    """
    fy = FiscalYear(fiscal_year)
    area = {"province": province, "district": district, "subdistrict": subdistrict, "provinces": provinces}
    councils = _in_area(restrict(Council.objects.filter(founded_on__lte=fy.end), user, Action.VIEW),
                        "organisation__subdistrict", **area)
    members = CouncilMember.objects.filter(_serving("", fy.end), council__in=councils.values("pk")).count()
    live = Registration.objects.filter(Q(deregistered_on__isnull=True) | Q(deregistered_on__gt=fy.end),
                                       registered_on__lte=fy.end, council__in=councils.values("pk"))
    # Organisations counted once each (one may hold registrations with two councils), through a semi-join: about half
    # the time of COUNT(DISTINCT …) over the joined registrations at national scale (docs/benchmarks.md, scale 1.0).
    # Every organisation has one kind, so their sum is the number of organisations; without by_kind (the annual
    # report does not show it) a plain distinct count.
    if by_kind:
        kinds = Counter(dict(CommunityOrganization.objects.filter(pk__in=live.values("organization")).order_by()
                             .values_list("kind").annotate(n=Count("pk"))))
        organisations = sum(kinds.values())
    else:
        kinds = Counter()
        organisations = live.values("organization").distinct().count()
    labels = dict(CommunityOrganization.Kind.choices)
    plans = _in_area(restrict(DevelopmentPlan.objects.filter(fiscal_year=fiscal_year), user, Action.VIEW),
                     "subdistrict", **area)
    links = PlanItemLink.objects.filter(item__plan__in=plans.values("pk"))
    local = links.filter(agency_kind=PlanItemLink.AgencyKind.LOCAL, amount__gt=0)
    assessed = _assessed_by_level(user, fiscal_year, area)
    strong = assessed.get("strong-community", {"passed": 0, "assessed": 0})
    model_percent = (Decimal(strong["passed"] * 100) / model_target).quantize(Decimal("0.01")) if model_target \
        else None
    return {
        "fiscal_year": fiscal_year,
        "councils": councils.count(),
        "members": members,
        "organisations": organisations,
        # Every registration made during the year, live at its end or not (one de-registered in the year was
        # still registered in it); an organisation counted once.
        "organisations_new": Registration.objects.filter(
            registered_on__range=(fy.start, fy.end), council__in=councils.values("pk"))
        .values("organization").distinct().count(),
        "organisations_by_kind": [{"kind": k, "label": labels.get(k, k), "count": n}
                                  for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))],
        "assessed": assessed,
        "councils_by_grade": dict(assessed.get("council-quality", {}).get("levels", {})),
        "model_communities": strong["passed"],
        "strong_assessed": strong["assessed"],
        "model_target": model_target,
        "model_percent": model_percent,
        "plans": plans.count(),
        "plans_supported": local.values("item__plan").distinct().count(),
        "supported_amount": local.aggregate(s=Sum("amount"))["s"] or Decimal("0.00"),
        "plans_linked": links.values("item__plan").distinct().count(),
        "linked_amount": links.aggregate(s=Sum("amount"))["s"] or Decimal("0.00"),
    }


def earliest_record(council) -> datetime.date | None:
    """The first day anything is recorded for a council (a registration, a member's term, a meeting): its founding
    date cannot move past it."""
    days = (council.registrations.order_by("registered_on").values_list("registered_on", flat=True).first(),
            council.members.order_by("term_start").values_list("term_start", flat=True).first(),
            council.meetings.order_by("date").values_list("date", flat=True).first())
    return min((d for d in days if d), default=None)
