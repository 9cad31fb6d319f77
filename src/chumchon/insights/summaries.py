"""Computing area summaries from the records: one fund at a time (``fund_figures``), areas by adding funds up.

Definitions (also in ``docs/insights.md``):

- *new members*: memberships whose joining date falls in the period; *lapsed*, *deceased*, *left* (resigned or
  transferred out): memberships that ended so in the period (by their end date);
- *active members* at the end of a fiscal year: joined on or before 30 September and not ended by then;
- *contributions*: members' payments received in the period (by the date paid), and how many payments;
- *matching money*: grants received in the period, by source; *funds matched* is 1 for a fund that received
  government matching (via the institute) in the period, and *members covered* the members those grants match;
- *benefits paid*: claims paid in the period (by the payment's posting date), their number and amount, and
  *recipients*: distinct beneficiaries of the fund in the period (added up over funds: a person paid by two funds
  counts twice; across years, a person paid in two years counts in each);
- *fund money by source* at the end of a fiscal year: for every account with a fund source (fund balances, income
  and expenses), credits less debits of posted lines dated up to 30 September — the money of that source the fund
  still has, as ``welfare.selectors.money_by_source`` reads it from the running totals;
- *funds by status*: every fund from the fiscal year it was founded (or first active) in, by its status today (the
  status has no history yet).
"""

import bisect
import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from chumchon.core.thai.fiscal import FiscalYear, fiscal_year_of
from chumchon.geo.models import Region
from chumchon.insights.models import (
    BENEFIT_FIGURES,
    FIGURES,
    MONEY_FIGURES,
    NATION_CODE,
    AreaSummary,
    BenefitSummary,
    Level,
)
from chumchon.ledger.models import AccountType, FundSource, JournalEntry, Line
from chumchon.welfare.models import Claim, Contribution, Fund, Grant, Membership

ZERO = Decimal("0.00")
# (fiscal_year, month) -> {figure: value}; (fiscal_year, month, kind) -> {claims, recipients, amount}
Rows = dict[tuple, dict[str, object]]
GRANT_FIGURE = {FundSource.GOVERNMENT: "grant_government", FundSource.LOCAL: "grant_local",
                FundSource.DONATIONS: "grant_donations", FundSource.OTHER: "grant_other"}
MONEY_FIGURE = {s.value: f"money_{s.value}" for s in FundSource}
ENDED_FIGURE = {Membership.Status.LAPSED: "members_lapsed", Membership.Status.DECEASED: "members_deceased",
                Membership.Status.RESIGNED: "members_left", Membership.Status.TRANSFERRED: "members_left"}


def empty(figures=FIGURES) -> dict[str, object]:
    return {f: (ZERO if f in MONEY_FIGURES or f == "amount" else 0) for f in figures}


def _fy_month(d: datetime.date) -> tuple[int, int]:
    return fiscal_year_of(d).be_year, d.month


def _fy_of_calendar(year: int, month: int) -> int:
    return year + 543 + (1 if month >= 10 else 0)


class _Rows(defaultdict):
    def __init__(self, figures=FIGURES):
        super().__init__(lambda: empty(figures))

    def add(self, fy: int, month: int, figure: str, value, *extra) -> None:
        """Add to the month row and to the year row."""
        for key in ((fy, month, *extra), (fy, 0, *extra)):
            self[key][figure] += value


def fund_figures(fund: Fund, today: datetime.date | None = None) -> tuple[Rows, Rows]:
    """A fund's summary rows and benefit rows, from its memberships, contributions, grants, paid claims and book."""
    today = today or timezone.localdate()
    rows, benefits = _Rows(), _Rows(BENEFIT_FIGURES)
    dates: list[datetime.date] = [today]

    members = list(Membership.objects.filter(fund=fund).values_list("joined_on", "status", "ended_on"))
    joined = sorted(m[0] for m in members)
    ended = sorted(m[2] for m in members if m[1] != Membership.Status.ACTIVE and m[2] is not None)
    ended_undated = sorted(m[0] for m in members if m[1] != Membership.Status.ACTIVE and m[2] is None)
    for joined_on, status, ended_on in members:
        rows.add(*_fy_month(joined_on), "members_new", 1)
        if status != Membership.Status.ACTIVE and ended_on is not None and status in ENDED_FIGURE:
            rows.add(*_fy_month(ended_on), ENDED_FIGURE[status], 1)
    dates += joined[:1]

    for row in (Contribution.objects.standing().filter(fund=fund).values("fiscal_year", m=ExtractMonth("date"))
                .annotate(n=Count("id"), total=Sum("amount"))):
        rows.add(row["fiscal_year"], row["m"], "contributions", row["total"])
        rows.add(row["fiscal_year"], row["m"], "contribution_payments", row["n"])

    matched = set()
    for row in (Grant.objects.filter(fund=fund).values("fiscal_year", "source", m=ExtractMonth("date"))
                .annotate(total=Sum("amount"), covered=Sum("members_covered"))):
        rows.add(row["fiscal_year"], row["m"], GRANT_FIGURE.get(row["source"], "grant_other"), row["total"])
        if row["source"] == FundSource.GOVERNMENT:
            rows.add(row["fiscal_year"], row["m"], "grants_members_covered", row["covered"])
            matched |= {(row["fiscal_year"], row["m"]), (row["fiscal_year"], 0)}
    for key in matched:
        rows[key]["funds_matched"] += 1

    people: dict[tuple, set] = defaultdict(set)
    for kind, paid_on, person, amount in (Claim.objects.paid().filter(fund=fund, entry__isnull=False)
                                          .values_list("kind__code", "entry__date", "beneficiary_id", "amount")):
        fy, month = _fy_month(paid_on)
        rows.add(fy, month, "benefit_claims", 1)
        rows.add(fy, month, "benefits_paid", amount)
        benefits.add(fy, month, "claims", 1, kind)
        benefits.add(fy, month, "amount", amount, kind)
        for key in ((fy, month), (fy, 0)):
            people[key].add(person)
            people[(*key, kind)].add(person)
    for key, persons in people.items():
        (rows if len(key) == 2 else benefits)[key]["recipients"] += len(persons)

    # Fund money by source: credits less debits of source accounts, by month, then running totals at year ends.
    by_month: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    lines = (Line.objects.filter(book__organisation_id=fund.pk, entry__status=JournalEntry.Status.POSTED,
                                 account__type__in=[AccountType.NET_ASSETS, AccountType.INCOME, AccountType.EXPENSE])
             .exclude(account__fund_source="")
             .values(source=F("account__fund_source"), y=ExtractYear("date"), m=ExtractMonth("date"))
             .annotate(cr=Sum("credit"), dr=Sum("debit")))
    for row in lines:
        by_month[(row["y"], row["m"])][row["source"]] += row["cr"] - row["dr"]
    if by_month:
        first = min(by_month)
        dates.append(datetime.date(first[0], first[1], 1))
    dates += [datetime.date(y, m, 1) for y, m in by_month]
    dates += [_key_date(k) for k in rows]
    if fund.founded_on:
        dates.append(fund.founded_on)

    first_fy = min(fiscal_year_of(d).be_year for d in dates)
    last_fy = max(fiscal_year_of(d).be_year for d in dates)
    months_sorted = sorted(by_month)
    running: dict[str, Decimal] = defaultdict(lambda: ZERO)
    i = 0
    start_fy = fiscal_year_of(fund.founded_on).be_year if fund.founded_on else first_fy
    for fy in range(first_fy, last_fy + 1):
        end = FiscalYear(fy).end
        while i < len(months_sorted) and _fy_of_calendar(*months_sorted[i]) <= fy:
            for source, value in by_month[months_sorted[i]].items():
                running[source] += value
            i += 1
        row = rows[(fy, 0)]
        for source, value in running.items():
            row[MONEY_FIGURE.get(source, "money_other")] += value
        row["members_active"] = (bisect.bisect_right(joined, end) - bisect.bisect_right(ended, end)
                                 - bisect.bisect_right(ended_undated, end))
        if fy >= start_fy:
            row["funds"] = 1
            row[f"funds_{fund.status}"] = 1
    return _clean(rows), _clean(benefits)


def _key_date(key: tuple) -> datetime.date:
    """A date inside the period of a row key (for finding the range of years)."""
    fy, month = key[0], key[1]
    if month == 0:
        return FiscalYear(fy).end
    return datetime.date(fy - 543 - (1 if month >= 10 else 0), month, 1)


def _clean(rows: Rows) -> Rows:
    """Plain dicts; month rows with nothing in them dropped (year rows always kept)."""
    return {k: dict(v) for k, v in rows.items() if k[1] == 0 or any(v.values())}


def ancestors(fund: Fund, regions_of: dict[str, list[str]] | None = None) -> list[tuple[str, str]]:
    """The areas a fund adds into: its subdistrict, district, province, region(s) of the default scheme, nation."""
    sub = fund.organisation.subdistrict
    if regions_of is None:
        regions_of = region_map()
    areas = [(Level.SUBDISTRICT, sub.code), (Level.DISTRICT, sub.district_id), (Level.PROVINCE, sub.province_id)]
    areas += [(Level.REGION, region) for region in regions_of.get(sub.province_id, [])]
    return areas + [(Level.NATION, NATION_CODE)]


def region_map() -> dict[str, list[str]]:
    """Province code -> the ids of the default scheme's regions holding it."""
    result: dict[str, list[str]] = defaultdict(list)
    for pk, province in Region.objects.filter(scheme__is_default=True).values_list("pk", "provinces"):
        if province:
            result[province].append(str(pk))
    return result


def add_into(total: dict, part: dict) -> None:
    for figure, value in part.items():
        total[figure] += value


def compute_all(today: datetime.date | None = None, *, fund_rows=None) -> tuple[dict, dict]:
    """Every summary row recomputed from the records: {(level, code, *key): figures} for summaries and benefits.

    With ``fund_rows`` (a callable taking the fund, its rows and its benefit rows) each fund's own rows go to it as
    soon as the fund is computed and stay out of the result, which then holds the area rows only: the funds' own
    rows are nearly half of the nation's rows (44 % at scale 1.0), and the rebuild and the check need not hold
    them all at once."""
    summaries: dict = defaultdict(empty)
    benefits: dict = defaultdict(lambda: empty(BENEFIT_FIGURES))
    regions = region_map()
    for fund in Fund.objects.select_related("organisation__subdistrict").order_by("pk"):
        rows, kinds = fund_figures(fund, today)
        areas = ancestors(fund, regions)
        if fund_rows is None:
            areas = [(Level.FUND, fund.code), *areas]
        else:
            fund_rows(fund, rows, kinds)
        for key, figures in rows.items():
            for level, code in areas:
                add_into(summaries[(level, code, *key)], figures)
        for key, figures in kinds.items():
            for level, code in areas:
                add_into(benefits[(level, code, *key)], figures)
    return dict(summaries), dict(benefits)


_SUMMARY_KEY = ("level", "code", "fiscal_year", "month")
# model -> (the fields of its key, its figures), in the order of compute_all's keys
_SHAPE = {AreaSummary: (_SUMMARY_KEY, FIGURES), BenefitSummary: ((*_SUMMARY_KEY, "kind"), BENEFIT_FIGURES)}


def _stored_rows(model, queryset, stream: bool = False):
    """``(key, figures)`` of each stored row of ``queryset``; ``stream`` reads it in chunks rather than whole."""
    keys, figures = _SHAPE[model]
    rows = queryset.values(*keys, *figures)
    for r in rows.iterator(chunk_size=5000) if stream else rows:
        yield tuple(r[k] for k in keys), {f: r[f] for f in figures}


def stored_all(**where) -> tuple[dict, dict]:
    """Every stored summary row (or those matching ``where``, e.g. ``level=…, code=…``), in the shape of
    :func:`compute_all`."""
    return (dict(_stored_rows(AreaSummary, AreaSummary.objects.filter(**where))),
            dict(_stored_rows(BenefitSummary, BenefitSummary.objects.filter(**where))))


def _compare(stored: dict, fresh: dict, found: list[str], limit: int) -> None:
    for key in sorted(set(stored) | set(fresh), key=str):
        if len(found) >= limit:
            return
        a = {k: v for k, v in stored.get(key, {}).items() if v}
        b = {k: v for k, v in fresh.get(key, {}).items() if v}
        if a != b:  # the key as plain values: ('nation', 'TH', 2565, 0), not Level.NATION
            plain = tuple(str(k) if isinstance(k, str) else k for k in key)
            found.append(f"{plain}: stored {a} != recomputed {b}")


def differences(today: datetime.date | None = None, limit: int = 20) -> list[str]:
    """Where the stored summaries differ from a full recomputation (rows of all zeros count as absent).

    Fund by fund for the funds' own rows (two reads a fund), then the area rows, the stored ones streamed against
    the recomputed ones: memory holds one fund's rows and the recomputed area rows, never the nation's every row,
    nor any row twice."""
    found: list[str] = []
    codes: set[str] = set()

    def compare_fund(fund, rows, kinds) -> None:
        codes.add(fund.code)
        if len(found) >= limit:
            return
        for stored, fresh in zip(stored_all(level=Level.FUND, code=fund.code),
                                 ({(Level.FUND, fund.code, *k): v for k, v in rows.items()},
                                  {(Level.FUND, fund.code, *k): v for k, v in kinds.items()}), strict=True):
            _compare(stored, fresh, found, limit)

    areas = compute_all(today, fund_rows=compare_fund)
    # Rows stored for a fund code no fund has (any more): every figure of them is a difference.
    strays = set().union(*(model.objects.filter(level=Level.FUND).values_list("code", flat=True).distinct()
                           for model in (AreaSummary, BenefitSummary))) - codes
    for code in sorted(strays):
        for stored in stored_all(level=Level.FUND, code=code):
            _compare(stored, {}, found, limit)
    # The area rows: the stored ones read in chunks and checked off against the recomputation, which is all that
    # is held; what is left of it afterwards was never stored.
    for model, fresh in zip((AreaSummary, BenefitSummary), areas, strict=True):
        for key, figures in _stored_rows(model, model.objects.exclude(level=Level.FUND), stream=True):
            if len(found) >= limit:
                return found
            _compare({key: figures}, {key: fresh.pop(key, {})}, found, limit)
        _compare({}, fresh, found, limit)
    return found
