"""Open data across the years (``insights.opendata``): a row's member counts are tied to the row of the year
before (members at the end of the year = at the end of the last + new − lapsed − deceased − left), so a hidden
count must not be the one unknown of that sum either. Worked examples a person can check by hand, the published
files, and — for any small country over three years — that a reader who knows every published cell, every total
and every year's sum cannot pin a hidden cell to one value."""

import io
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from chumchon.insights import opendata
from chumchon.insights.models import AreaSummary, Level
from chumchon.insights.opendata import CHAIN, PEOPLE_COUNTS, hidden_cells

FIGURES = ("members_active", "members_new", "members_lapsed", "members_deceased", "members_left")
INDEX = {name: i for i, name in enumerate(PEOPLE_COUNTS)}
NATION, PROVINCE, SUBDISTRICT, FUND = ("nation", "TH"), ("province", "50"), ("subdistrict", "500101"), ("fund", "F-1")
ONE_FUND = {"F-1": "500101"}


def _counts(**figures) -> tuple:
    return tuple(figures.get(name, 0) for name in PEOPLE_COUNTS)


def _alone(**figures) -> dict:
    """One fund alone in its subdistrict, province and country: every level the same counts."""
    return {node: _counts(**figures) for node in (NATION, PROVINCE, SUBDISTRICT, FUND)}


def _hidden(hidden: dict, year: int, node) -> set:
    return {PEOPLE_COUNTS[i] for (y, i), nodes in hidden.items() if y == year and node in nodes}


def test_a_small_flow_takes_the_smallest_other_flow_with_it():
    """FY 2566 ends with 40 members; in 2567 6 join, 3 lapse, 5 leave: 38. The 3 is hidden — and 38 − 40 − 6 + 5
    would give it back, so the 5 (the smallest other flow; a year-end count would tie two years) is hidden too."""
    years = {2566: _alone(members_active=40, members_new=40),
             2567: _alone(members_active=38, members_new=6, members_lapsed=3, members_left=5)}
    hidden = hidden_cells(years, ONE_FUND)
    for node in (NATION, PROVINCE, SUBDISTRICT, FUND):
        assert _hidden(hidden, 2567, node) == {"members_lapsed", "members_left"}
        assert _hidden(hidden, 2566, node) == set()
    # what is left published: 40 + 6 - 38 = 8 lapsed and left together, any of 1 + 7 … 7 + 1


def test_hidden_flows_that_could_only_be_ones_take_another():
    """50 at the end of 2566; in 2567 10 join, 1 dies, 1 leaves: 58. Both 1s are hidden, but 50 + 10 − 58 = 2 for
    the two of them, each at least 1: so each is 1. The 10 joining is hidden too (the smallest flow left)."""
    years = {2566: _alone(members_active=50, members_new=50),
             2567: _alone(members_active=58, members_new=10, members_deceased=1, members_left=1)}
    hidden = hidden_cells(years, ONE_FUND)
    assert _hidden(hidden, 2567, FUND) == {"members_new", "members_deceased", "members_left"}


def test_a_hidden_year_end_count_is_kept_from_both_of_its_years():
    """A fund of 3 members at the end of 2566 (all joined that year), 9 at the end of 2567 (6 joined): the 3 is
    hidden, and so must be one more cell in each year it ties — 2566's 3 joining (3 − 0 = 3 before) and 2567's
    6 joining (9 − 6 = 3 after)."""
    years = {2566: _alone(members_active=3, members_new=3), 2567: _alone(members_active=9, members_new=6)}
    hidden = hidden_cells(years, ONE_FUND)
    assert _hidden(hidden, 2566, FUND) == {"members_active", "members_new"}
    assert "members_new" in _hidden(hidden, 2567, FUND)
    assert "members_active" not in _hidden(hidden, 2567, FUND)  # 9 is no small group, and it needs no hiding


def test_nothing_small_hides_nothing():
    years = {2566: _alone(members_active=40, members_new=40),
             2567: _alone(members_active=45, members_new=10, members_lapsed=5)}
    assert not any(hidden_cells(years, ONE_FUND).values())


# --- any small country, three years ---------------------------------------------------------------------------------

FLOWS = st.tuples(st.integers(0, 9), st.integers(0, 4), st.integers(0, 3), st.integers(0, 4))  # new, lapsed, dead, left
FUND_YEARS = st.lists(FLOWS, min_size=3, max_size=3)
COUNTRY = st.lists(st.lists(st.lists(FUND_YEARS, min_size=1, max_size=3), min_size=1, max_size=2),
                   min_size=1, max_size=3)
YEARS = (2565, 2566, 2567)


def _funds(provinces: list, fund_subdistrict: dict, parent: dict):
    """Each fund of a made-up country (provinces of subdistricts of funds' yearly figures) as ``(fund, its areas up
    to the nation, its figures)``; the funds' subdistricts and each node's parent are filled in."""
    parent[NATION] = None
    for p, subdistricts in enumerate(provinces):
        province = ("province", f"{10 + p}")
        parent[province] = NATION
        for s, funds in enumerate(subdistricts):
            subdistrict = ("subdistrict", f"{10 + p}{s:02d}01")
            parent[subdistrict] = province
            for f, flows in enumerate(funds):
                fund = ("fund", f"F{p}{s}{f}")
                parent[fund], fund_subdistrict[fund[1]] = subdistrict, subdistrict[1]
                yield fund, (fund, subdistrict, province, NATION), flows


def _add(years: dict, year: int, nodes, values: tuple) -> None:
    for node in nodes:
        old = years[year].get(node, (0,) * len(values))
        years[year][node] = tuple(a + b for a, b in zip(old, values, strict=True))


def _country(provinces: list) -> tuple[dict, dict, dict]:
    """The years' counts of every node (an area's the sum of its funds'), the funds' subdistricts, and each
    node's parent among the published levels."""
    years = {y: {} for y in YEARS}
    fund_subdistrict, parent = {}, {}
    for _, nodes, flows in _funds(provinces, fund_subdistrict, parent):
        members = 0
        for year, (new, lapsed, dead, left) in zip(YEARS, flows, strict=True):
            lapsed = min(lapsed, members + new)
            dead = min(dead, members + new - lapsed)
            left = min(left, members + new - lapsed - dead)
            members += new - lapsed - dead - left
            _add(years, year, nodes, _counts(members_active=members, members_new=new, members_lapsed=lapsed,
                                             members_deceased=dead, members_left=left))
    return years, fund_subdistrict, parent


def _equations(years: dict, parent: dict, fiscal_years=YEARS, figures=FIGURES, chain=CHAIN, index=None) -> list:
    """Every sum a reader knows, as terms ``(cell, ±1)`` adding to 0; a cell is ``(year, figure index, node)``:
    each of ``figures`` summed up the tree, and each node's year tied to the year before by ``chain``."""
    index = INDEX if index is None else index
    equations = []
    children = {}
    for node, up in parent.items():
        if up is not None:
            children.setdefault(up, []).append(node)
    for year in fiscal_years:
        for name in figures:
            i = index[name]
            for total, parts in children.items():
                equations.append([((year, i, total), 1), *[((year, i, p), -1) for p in parts]])
        for node in years[year]:
            terms = [((year - back, index[name], node), side) for name, back, side in chain
                     if year - back in years]  # before the first year: nobody (no money), 0
            equations.append(terms)
    return equations


def _solved(equations: list, value: dict, secret: set) -> list:
    """Every sum brought to reduced row echelon form over the hidden cells (dense Gauss-Jordan, fractions): the
    equations a reader gets by adding and subtracting published sums, as ``[(cell, coefficient)…], target``."""
    cells = sorted(secret, key=repr)
    column = {cell: j for j, cell in enumerate(cells)}
    matrix = []
    for terms in equations:
        row = [Fraction(0)] * (len(cells) + 1)
        for cell, sign in terms:
            if cell in secret:
                row[column[cell]] += sign
            else:
                row[-1] -= sign * value[cell]
        matrix.append(row)
    r = 0
    for j in range(len(cells)):
        pivot = next((i for i in range(r, len(matrix)) if matrix[i][j] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        matrix[r] = [x / matrix[r][j] for x in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][j] != 0:
                matrix[i] = [a - matrix[i][j] * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        r += 1
    return [([(cells[j], row[j]) for j in range(len(cells)) if row[j] != 0], row[-1]) for row in matrix[:r]]


def _pinned(equations: list, value: dict, secret: set) -> dict:
    """The hidden cells a reader narrows to one value — a reader's arithmetic, not the rules that chose the cells:
    what adding and subtracting the sums gives (:func:`_solved`: a reduced row of one cell — the same whatever the
    order of elimination), and what bounds (each hidden cell a whole number, at least 1) carried through every
    published sum, round after round until nothing narrows, give. (The rule also carries bounds through its
    derived sums; which of those there are depends on its order of elimination, so the test does not ask for
    them.)"""
    derived = _solved(equations, value, secret)
    rows = [([(c, Fraction(sign)) for c, sign in terms if c in secret],
             -sum(sign * value[c] for c, sign in terms if c not in secret)) for terms in equations]
    rows += [(terms, target) for terms, target in derived if len(terms) == 1]
    low = dict.fromkeys(secret, 1)
    high = dict.fromkeys(secret, 10 ** 6)
    for _ in range(200):
        narrowed = False
        for terms, target in rows:
            for cell, a in terms:
                rest_low = sum(min(c * low[x], c * high[x]) for x, c in terms if x != cell)
                rest_high = sum(max(c * low[x], c * high[x]) for x, c in terms if x != cell)
                ends = ((target - rest_high) / a, (target - rest_low) / a)  # a * cell = target - rest
                lo, hi = math.ceil(min(ends)), math.floor(max(ends))
                if lo > low[cell]:
                    low[cell], narrowed = lo, True
                if hi < high[cell]:
                    high[cell], narrowed = hi, True
        if not narrowed:
            break
    for cell in secret:
        assert low[cell] <= value[cell] <= high[cell], cell  # the arithmetic is right: the truth stays possible
    return {cell: low[cell] for cell in secret if low[cell] == high[cell]}


@settings(max_examples=200, deadline=None)
@given(COUNTRY)
def test_no_hidden_member_count_can_be_worked_out_across_the_years(provinces):
    years, fund_subdistrict, parent = _country(provinces)
    hidden = hidden_cells(years, fund_subdistrict)
    value = {(y, i, node): counts[i] for y, rows in years.items() for node, counts in rows.items()
             for i in range(len(PEOPLE_COUNTS))}
    secret = {(y, i, node) for (y, i), nodes in hidden.items() for node in nodes}
    small = {cell for cell, v in value.items() if 0 < v < opendata.SUPPRESS_BELOW}
    assert small <= secret and all(value[cell] > 0 for cell in secret)
    member_cells = {cell for cell in secret if PEOPLE_COUNTS[cell[1]] in FIGURES}
    assert _pinned(_equations(years, parent), value, member_cells) == {}


# contributions, government and local matching money, benefits wanted (never more than the fund has), and whether
# the contributions', the government money's and the benefits' counts of people are hidden (so is their money)
MONEY_FLOWS = st.tuples(st.integers(0, 40), st.integers(0, 30), st.integers(0, 20), st.integers(0, 60),
                        st.booleans(), st.booleans(), st.booleans())
MONEY_COUNTRY = st.lists(st.lists(st.lists(st.lists(MONEY_FLOWS, min_size=3, max_size=3), min_size=1, max_size=3),
                                  min_size=1, max_size=2), min_size=1, max_size=3)


def _money_country(provinces: list) -> tuple[dict, dict, dict, dict]:
    """The years' money of every node (``opendata.MONEY`` order; an area's the sum of its funds'; each fund's
    money at the year's end the last year's plus what came in less the benefits), the funds' subdistricts, each
    node's parent, and the money hidden with its hidden counts (``(year, index)`` -> funds)."""
    names = opendata.MONEY.names
    years = {y: {} for y in YEARS}
    fund_subdistrict, parent, forced = {}, {}, {}
    for fund, nodes, flows in _funds(provinces, fund_subdistrict, parent):
        money = 0
        for year, (paid, government, local, wanted, *hide) in zip(YEARS, flows, strict=True):
            benefits = min(wanted, money + paid + government + local)
            money += paid + government + local - benefits
            figures = {"contributions": paid, "grant_government": government, "grant_local": local,
                       "benefits_paid": benefits, "fund_money": money}
            for flag, name in zip(hide, ("contributions", "grant_government", "benefits_paid"), strict=True):
                if flag and figures[name] > 0:
                    forced.setdefault((year, names.index(name)), set()).add(fund)
            _add(years, year, nodes, tuple(figures.get(name, 0) for name in names))
    return years, fund_subdistrict, parent, forced


@settings(max_examples=100, deadline=None)
@given(MONEY_COUNTRY)
def test_no_hidden_money_can_be_worked_out_across_the_years(provinces):
    """The money of a hidden count (and what it takes along) cannot be worked out from the totals, nor from last
    year's fund money with this year's money in and benefits out."""
    money = opendata.MONEY
    years, fund_subdistrict, parent, forced = _money_country(provinces)
    hidden = hidden_cells(years, fund_subdistrict, money, forced)
    value = {(y, i, node): row[i] for y, rows in years.items() for node, row in rows.items()
             for i in range(len(money.names))}
    secret = {(y, i, node) for (y, i), nodes in hidden.items() for node in nodes}
    assert {(y, i, node) for (y, i), nodes in forced.items() for node in nodes} <= secret
    assert all(value[cell] > 0 for cell in secret)
    equations = _equations(years, parent, figures=money.names, chain=money.chain, index=money.index)
    assert _pinned(equations, value, secret) == {}


def test_hidden_benefits_hide_the_fund_money_that_would_give_them_back():
    """A fund alone: 1,000 baht at the end of FY 2566; in 2567 contributions 300 and benefits 200 (to 2 people,
    hidden): 1,000 + 300 − 200 = 1,100 would give the 200 back from the two fund money figures, so something
    more of that sum is left empty too."""
    money = opendata.MONEY
    row = dict.fromkeys(money.names, 0)
    first = tuple({**row, "contributions": 1_000, "fund_money": 1_000}[n] for n in money.names)
    second = tuple({**row, "contributions": 300, "benefits_paid": 200, "fund_money": 1_100}[n] for n in money.names)
    years = {2566: {node: first for node in (NATION, PROVINCE, SUBDISTRICT, FUND)},
             2567: {node: second for node in (NATION, PROVINCE, SUBDISTRICT, FUND)}}
    hidden = hidden_cells(years, ONE_FUND, money, {(2567, money.index["benefits_paid"]): {FUND}})
    shown = {money.names[i] for (y, i), nodes in hidden.items() if y == 2567 and FUND in nodes}
    assert "benefits_paid" in shown and shown & {"contributions", "fund_money"}


# --- the published files ---------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_years_file_hides_what_the_years_before_would_tell(world, client):
    """Fund A-001 alone in its subdistrict and province: FY 2566 ends with 40 members; in 2567 6 join, 3 lapse and 5
    leave (38). The file of 2567 alone hides the 5 with the 3 — as the file of every year does — though the sum
    needs 2566's 40 to tell."""
    for level, code in ((Level.FUND, "A-001"), (Level.SUBDISTRICT, "500203"), (Level.PROVINCE, "50"),
                        (Level.NATION, "TH")):
        AreaSummary.objects.create(level=level, code=code, fiscal_year=2566, month=0, funds=1, members_active=40,
                                   members_new=40, contribution_payments=40, contributions=Decimal(4000))
        AreaSummary.objects.create(level=level, code=code, fiscal_year=2567, month=0, funds=1, members_active=38,
                                   members_new=6, members_lapsed=3, members_left=5, contribution_payments=38,
                                   contributions=Decimal(3800))
    url = reverse("open_data:dataset", args=["funds", "json"])
    every_year = {(r["fiscal_year"], r["code"]): r for r in client.get(url).json()["rows"]}
    one_year = {r["code"]: r for r in client.get(url + "?fiscal_year=2567").json()["rows"]}
    assert every_year[(2567, "A-001")] == one_year["A-001"]
    row = one_year["A-001"]
    assert (row["members_active"], row["members_new"], row["members_lapsed"], row["members_left"]) == (38, 6, None,
                                                                                                          None)
    assert every_year[(2566, "A-001")]["members_active"] == 40
    nation = {r["fiscal_year"]: r for r in client.get(reverse("open_data:dataset", args=["provinces", "json"])).json()[
        "rows"]}
    assert nation[2567]["members_lapsed"] is None and nation[2567]["members_left"] is None
    assert nation[2567]["members_active"] == 38


# --- the reader's arithmetic (``insights.disclosure``) ---------------------------------------------------------------

def test_adding_and_subtracting_sums_gives_back_what_no_bound_does():
    """One subdistrict's three funds in their first year: 13 join in the subdistrict, 9 of them in F2, so 4 in F0
    and F1; 3 and 1 of those lapse with them (nobody is left at the year's end), so F0 and F1 lapsed 4 together;
    the subdistrict's 5 lapsed then give F2's hidden 1 back: 5 − 4. Each sum alone has two hidden cells or more,
    and every bound stays wide; the reduced sums say it."""
    from chumchon.insights.disclosure import pinned

    new, lapsed = 1, 2
    cells = {("F0", new): 3, ("F1", new): 1, ("F0", lapsed): 3, ("F1", lapsed): 1, ("F2", lapsed): 1}
    shown = {("S", new): 13, ("F2", new): 9, ("S", lapsed): 5}
    sums = [[(("S", new), 1), (("F0", new), -1), (("F1", new), -1), (("F2", new), -1)],
            [(("S", lapsed), 1), (("F0", lapsed), -1), (("F1", lapsed), -1), (("F2", lapsed), -1)],
            [(("F0", lapsed), 1), (("F0", new), -1)], [(("F1", lapsed), 1), (("F1", new), -1)]]
    assert pinned(sums, {**cells, **shown}.__getitem__, set(cells)) == {("F2", lapsed): 1}
    # the quick reader leaves out a sum that would tie more than `limit` cells: with 2, every sum but the
    # subdistrict's joining is left out and nothing is pinned; with 5 (all of them) the same as above
    assert pinned(sums, {**cells, **shown}.__getitem__, set(cells), limit=2) == {}
    assert pinned(sums, {**cells, **shown}.__getitem__, set(cells), limit=5) == {("F2", lapsed): 1}
    # why: 5 − (13 − 9) added up from four sums; hiding any of the three published cells left breaks it
    why = {}
    pinned(sums, {**cells, **shown}.__getitem__, set(cells), why=why)
    assert set(why) == {("F2", lapsed)} and set(why[("F2", lapsed)]) == set(shown)


def test_the_chain_alone_hides_the_smallest_flow_beside_a_lone_hidden_one():
    """The years' rule on its own (before the totals' rules and the audit): 40 + 6 − 3 − 5 = 38 with the 3 hidden
    asks for the 5 (the smallest published non-zero flow), not a year-end count."""
    from chumchon.insights.opendata import _chain_complements

    years = {2566: {FUND: _counts(members_active=40, members_new=40)},
             2567: {FUND: _counts(members_active=38, members_new=6, members_lapsed=3, members_left=5)}}
    hidden = {(y, i): set() for y in years for i in range(len(PEOPLE_COUNTS))}
    hidden[(2567, INDEX["members_lapsed"])] = {FUND}
    assert _chain_complements(years, hidden) == {(2567, INDEX["members_left"], FUND)}
    hidden[(2567, INDEX["members_left"])] = {FUND}
    assert _chain_complements(years, hidden) == set()  # 3 + 5 = 8 for two cells: neither is told
    hidden[(2567, INDEX["members_left"])] = set()
    hidden[(2567, INDEX["members_deceased"])] = set()
    years[2567][FUND] = _counts(members_active=44, members_new=6, members_lapsed=1, members_left=1)
    hidden[(2567, INDEX["members_left"])] = {FUND}  # 1 and 1 hidden: 40 + 6 − 44 = 2 for both, so each is 1
    assert _chain_complements(years, hidden) == {(2567, INDEX["members_new"], FUND)}


def test_the_reader_carries_bounds_through_the_sums():
    """x + y = 3 and y = z + w, every hidden cell at least 1: y ≥ 2, so x = 1 and y = 2, then z = w = 1; with the
    published total 4 instead, x could be 1 or 2 — nothing is pinned."""
    from chumchon.insights.disclosure import pinned

    sums = [[("total", 1), ("x", -1), ("y", -1)], [("y", 1), ("z", -1), ("w", -1)]]
    assert pinned(sums, {"total": 3}.__getitem__, {"x", "y", "z", "w"}) == {"x": 1, "y": 2, "z": 1, "w": 1}
    assert pinned(sums, {"total": 4}.__getitem__, {"x", "y", "z", "w"}) == {}


THREE_FUNDS_SUBDISTRICT = ("subdistrict", "100001")


def _three_funds() -> tuple[dict, dict]:
    """One subdistrict's three funds in FY 2565 (active, new, lapsed, dead, left) and the areas above it: the
    years' counts and the funds' subdistricts."""
    funds = {"F0": (1, 1, 0, 0, 0), "F1": (1, 2, 0, 1, 0), "F2": (3, 5, 0, 0, 2)}
    years = {2565: {("fund", code): _counts(**dict(zip(FIGURES, v, strict=True))) for code, v in funds.items()}}
    area = tuple(map(sum, zip(*years[2565].values(), strict=True)))
    for node in (THREE_FUNDS_SUBDISTRICT, ("province", "10"), NATION):
        years[2565][node] = area
    return years, {code: THREE_FUNDS_SUBDISTRICT[1] for code in funds}


def test_three_funds_whose_sums_together_tell_every_hidden_count():
    """One subdistrict's three funds in FY 2565: F0 1 joins; F1 2 join and 1 dies; F2 5 join and 2 leave (members
    at the end 1, 1, 3; the area 8 joining, 5 at the end). No sum has a single hidden cell, yet each hidden cell is
    at least 1: F1's end count (≥ 1) and death (≥ 1) make its joining ≥ 2, the 8 − 5 = 3 joining in F0 and F1 then
    leave F0 1 — and the rest follows. The audit hides more until the reader cannot tell."""
    sub = THREE_FUNDS_SUBDISTRICT
    years, fund_subdistrict = _three_funds()
    hidden = hidden_cells(years, fund_subdistrict)
    parent = {NATION: None, ("province", "10"): NATION, sub: ("province", "10"),
              **{("fund", code): sub for code in fund_subdistrict}}
    value = {(2565, i, node): counts[i] for node, counts in years[2565].items() for i in range(len(PEOPLE_COUNTS))}
    secret = {(y, i, node) for (y, i), nodes in hidden.items() for node in nodes
              if PEOPLE_COUNTS[i] in FIGURES}
    assert _pinned(_equations(years, parent, (2565,)), value, secret) == {}
    assert ("fund", "F2") in hidden[(2565, INDEX["members_new"])]  # the 5 that let the rest be worked out


def test_what_the_quick_audit_misses_the_whole_one_finds(monkeypatch):
    """The audit reads groups of at most AUDIT_GROUP hidden cells first; with groups of one cell it finds nothing
    in the three funds above, and the audit over all the sums at once still leaves nothing to work out."""
    from chumchon.insights import opendata

    years, fund_subdistrict = _three_funds()
    whole = hidden_cells(years, fund_subdistrict)
    monkeypatch.setattr(opendata, "AUDIT_GROUP", 1)
    assert hidden_cells(years, fund_subdistrict) == whole


# --- releases --------------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_release_is_made_once_for_the_same_summaries_and_replaced_after_a_change(world):
    from django.core.management import call_command

    from chumchon.insights.models import OpenDataRelease, PublishedSummary

    AreaSummary.objects.create(level=Level.NATION, code="TH", fiscal_year=2567, month=0, funds=1, members_active=40,
                               members_new=40)
    first = opendata.publish()
    assert opendata.publish() == first and first.rows == 1
    out = io.StringIO()
    call_command("opendata_publish", stdout=out)
    assert "unchanged" in out.getvalue() and OpenDataRelease.objects.count() == 1
    AreaSummary.objects.filter(level=Level.NATION).update(members_active=3)  # bulk update: `updated` untouched …
    AreaSummary.objects.get(level=Level.NATION).save()  # … a save (as the refresh's upsert) stamps it
    second = opendata.publish()
    assert second.pk != first.pk
    # the release before stays (a request reading it while the new one commits still finds its rows) …
    assert list(OpenDataRelease.objects.order_by("pk")) == [first, second]
    assert list(PublishedSummary.objects.filter(release=second).values_list("members_active", flat=True)) == [None]
    AreaSummary.objects.get(level=Level.NATION).save()
    third = opendata.publish()
    # … older ones go
    assert list(OpenDataRelease.objects.order_by("pk")) == [second, third]
    assert set(PublishedSummary.objects.values_list("release_id", flat=True)) == {second.pk, third.pk}


@pytest.mark.django_db
def test_a_change_committed_with_an_older_time_still_makes_a_new_release(world):
    """Two refreshes: the one that stamped its rows first commits last, so the rows' latest `updated` does not
    move — the services' count of changes (SummaryVersion) does, and the next publish sees it."""
    from chumchon.insights import services
    from chumchon.insights.models import PublishedSummary, SummaryVersion

    row = AreaSummary.objects.create(level=Level.NATION, code="TH", fiscal_year=2567, month=0, funds=1,
                                     members_active=40, members_new=40)
    first = opendata.publish()
    stamped = AreaSummary.objects.get(pk=row.pk).updated
    with transaction.atomic():  # the late writer: its rows keep the time it stamped before the release was made
        AreaSummary.objects.filter(pk=row.pk).update(members_active=41, members_new=41, updated=stamped)
        services._changed()
    assert SummaryVersion.objects.get().number == 1
    second = opendata.publish()
    assert second.pk != first.pk
    assert PublishedSummary.objects.get(release=second).members_active == 41
    assert opendata.publish() == second  # and nothing more until the next change


@pytest.mark.django_db
def test_a_release_made_while_another_was_worked_out_is_kept(world, monkeypatch):
    """Two publishers at once (two workers): the one that finishes second finds the other's release and keeps it
    rather than adding its own (it read the same summaries, or older ones)."""
    AreaSummary.objects.create(level=Level.NATION, code="TH", fiscal_year=2567, month=0, funds=1, members_active=40,
                               members_new=40)
    real = opendata.complementary
    landed, started = [], []

    def meanwhile(rows, *args):
        if not started:  # while this publisher works, another one finishes
            started.append(True)
            landed.append(opendata.publish())
        return real(rows, *args)

    monkeypatch.setattr(opendata, "complementary", meanwhile)
    assert opendata.publish() == landed[0]
    from chumchon.insights.models import OpenDataRelease

    assert OpenDataRelease.objects.count() == 1


@pytest.mark.django_db
def test_open_data_is_read_from_the_release_until_it_is_old_enough(world, client, settings):
    """With an hour between releases, a change of the summaries is not published at once: the files and the home
    page keep showing the release — all of it as of the same reading — and the next release after the hour."""
    import datetime

    from chumchon.insights.models import OpenDataRelease

    settings.OPEN_DATA_MAX_AGE = 3600
    row = AreaSummary.objects.create(level=Level.PROVINCE, code="50", fiscal_year=2567, month=0, funds=1,
                                     members_active=40, members_new=40)
    release = opendata.publish()
    url = reverse("open_data:dataset", args=["provinces", "json"])
    row.members_active = 45
    row.save()
    assert client.get(url).json()["rows"][0]["members_active"] == 40
    assert OpenDataRelease.objects.get() == release
    OpenDataRelease.objects.update(made=release.made - datetime.timedelta(hours=2))
    opendata._checked_at = None  # this process last looked more than an hour ago
    assert client.get(url).json()["rows"][0]["members_active"] == 45  # the task ran (immediate backend in tests)
    assert OpenDataRelease.objects.latest().pk != release.pk
    # and the catalogue says when: the new release's time
    catalogue = client.get(reverse("open_data:catalogue_json")).json()
    assert {d["modified"][:16] for d in catalogue["dataset"]} == {
        OpenDataRelease.objects.latest().made.isoformat()[:16]}


@pytest.mark.django_db
def test_an_old_release_with_nothing_changed_is_looked_at_once_an_hour(world, client, settings,
                                                                     django_assert_max_num_queries):
    """After an hour with no change, the first request compares the summaries with the release (a count over the
    year rows); the requests after it in the hour do not."""
    import datetime

    from chumchon.insights.models import OpenDataRelease

    settings.OPEN_DATA_MAX_AGE = 3600
    AreaSummary.objects.create(level=Level.PROVINCE, code="50", fiscal_year=2567, month=0, funds=1, members_active=40,
                               members_new=40)
    release = opendata.publish()
    OpenDataRelease.objects.update(made=release.made - datetime.timedelta(hours=2))
    opendata._checked_at = None
    url = reverse("open_data:dataset", args=["provinces", "json"])
    with django_assert_max_num_queries(4):  # the release, the comparison, the names, the rows
        client.get(url)
    with django_assert_max_num_queries(3):
        assert client.get(url).json()["rows"][0]["members_active"] == 40
    assert OpenDataRelease.objects.get() == release
