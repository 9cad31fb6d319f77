"""Open data's complementary suppression (``insights.opendata``): worked examples a person can check by hand, the
published files, the public home page, and — for any small country — that no hidden cell can be worked out from
what is published."""

import csv
import io
import random
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from chumchon.insights import opendata
from chumchon.insights.models import AreaSummary, Level
from chumchon.insights.opendata import Tree

TH = ("nation", "TH")


def _tree(shape: dict) -> tuple[Tree, dict]:
    """``{node: value | {child: ...}}`` -> the tree and every node's value (an area's is the sum of its parts)."""
    parent, values = {}, {}

    def walk(node, below, up):
        parent[node] = up
        if isinstance(below, dict):
            values[node] = sum(walk(child, inner, node) for child, inner in below.items())
        else:
            values[node] = below
        return values[node]

    for node, below in shape.items():
        walk(node, below, None)
    return Tree(parent), values


def _primary(values: dict) -> set:
    """What the open data hid before complementary suppression: only the counts of 1–4."""
    return {n for n, v in values.items() if 0 < v < opendata.SUPPRESS_BELOW}


def _subtraction_gives_back(tree: Tree, values: dict, hidden: set) -> list:
    """The hidden cells a reader gets back as a published total minus its published parts — at every level below
    the total (a province minus its subdistricts, or minus its funds)."""
    found = []
    for total in tree.parent:
        if total in hidden:
            continue
        frontier = tree.children.get(total, [])
        while frontier:
            hidden_parts = [p for p in frontier if p in hidden]
            if len(hidden_parts) == 1:
                shown = sum(values[p] for p in frontier if p not in hidden)
                found.append((total, hidden_parts[0], values[total] - shown))
            frontier = [c for p in frontier for c in tree.children.get(p, [])]
    return found


# --- worked examples ---------------------------------------------------------------------------------------------

def test_a_province_of_three_funds_one_with_two_members():
    """Chiang Mai has three funds, each its subdistrict's only one: 2, 12 and 30 members; the province 44.
    Before: the 2 (and its subdistrict) hidden, and 44 - 12 - 30 = 2 gives it back. Now the next smallest
    subdistrict (12) is hidden too, and with it its fund: 44 - 30 = 14 is the two hidden funds together, 1 + 13 …
    13 + 1."""
    s1, s2, s3 = ("subdistrict", "500101"), ("subdistrict", "500102"), ("subdistrict", "500203")
    f1, f2, f3 = ("fund", "CM-1"), ("fund", "CM-2"), ("fund", "CM-3")
    tree, values = _tree({TH: {("province", "50"): {s1: {f1: 2}, s2: {f2: 12}, s3: {f3: 30}}}})
    assert set(_subtraction_gives_back(tree, values, _primary(values))) == {
        (("province", "50"), s1, 2), (("province", "50"), f1, 2), (TH, s1, 2), (TH, f1, 2)}
    assert tree.hidden(values) == {s1, f1, s2, f2}
    assert _subtraction_gives_back(tree, values, tree.hidden(values)) == []


def test_a_province_with_one_fund():
    """Khon Kaen's only fund has 3 members, so the province is 3 too; Chiang Mai's two funds 10 and 20; the
    country 33. Before: 33 - 30 = 3 gives Khon Kaen (and its fund) back. Now Chiang Mai is hidden too, and inside
    it the smaller subdistrict and its fund: 33 - 20 = 13 is Khon Kaen's fund and the 10 together."""
    kk, cm = ("province", "40"), ("province", "50")
    kk_s, kk_f = ("subdistrict", "400101"), ("fund", "KK-1")
    cm_s1, cm_f1 = ("subdistrict", "500101"), ("fund", "CM-1")
    cm_s2, cm_f2 = ("subdistrict", "500102"), ("fund", "CM-2")
    tree, values = _tree({TH: {kk: {kk_s: {kk_f: 3}}, cm: {cm_s1: {cm_f1: 10}, cm_s2: {cm_f2: 20}}}})
    assert (TH, kk, 3) in _subtraction_gives_back(tree, values, _primary(values))
    assert tree.hidden(values) == {kk, kk_s, kk_f, cm, cm_s1, cm_f1}
    assert _subtraction_gives_back(tree, values, tree.hidden(values)) == []


def test_a_subdistrict_of_two_funds_hides_the_other_fund_not_its_total():
    """A subdistrict's funds have 3 and 40 members: the 40 is hidden too and the total 43 stays (3 + 40 or
    42 + 1 — nobody can tell), which costs less than hiding the subdistrict and, with it, a whole other area."""
    s, a, b = ("subdistrict", "500203"), ("fund", "A"), ("fund", "B")
    tree, values = _tree({TH: {("province", "50"): {s: {a: 3, b: 40}}}})
    assert tree.hidden(values) == {a, b}


def test_a_total_with_one_part_is_hidden_with_it_and_its_neighbour_takes_its_place():
    """A subdistrict of one fund of 2 members is 2 itself (hidden as a small count); its province of 2 + 25 then
    hides the 25 subdistrict, and that one hides its only fund."""
    s1, f1, s2, f2 = ("subdistrict", "1"), ("fund", "1"), ("subdistrict", "2"), ("fund", "2")
    tree, values = _tree({TH: {("province", "50"): {s1: {f1: 2}, s2: {f2: 25}}}})
    assert tree.hidden(values) == {s1, f1, s2, f2}


def test_hidden_cells_that_could_only_be_ones_hide_their_total():
    """Five provinces with one member each: each is hidden, but the country's 5 over five hidden cells of at
    least 1 says each is 1 — so the country's total is hidden too (there is no other province to hide)."""
    provinces = {("province", str(code)): 1 for code in range(10, 15)}
    tree, values = _tree({TH: provinces})
    assert _subtraction_gives_back(tree, values, _primary(values)) == []  # subtraction alone gets nothing …
    assert tree.hidden(values) == {TH, *provinces}  # … but 5 = 1 + 1 + 1 + 1 + 1 does


def test_two_hidden_ones_beside_a_larger_part_hide_it():
    """Funds of 1, 1 and 9 in a subdistrict of 11: 11 - 9 = 2 over two hidden funds would be 1 and 1."""
    a, b, c = ("fund", "a"), ("fund", "b"), ("fund", "c")
    tree, values = _tree({("subdistrict", "500203"): {a: 1, b: 1, c: 9}})
    assert tree.hidden(values) == {a, b, c}


def test_zero_is_never_hidden_and_never_a_complement():
    """A fund of 2 beside funds of 0 and 7: the 7 is the complement, not the 0 (a hidden 0 would be no cover)."""
    a, b, c = ("fund", "a"), ("fund", "b"), ("fund", "c")
    tree, values = _tree({("subdistrict", "500203"): {a: 2, b: 0, c: 7}})
    assert tree.hidden(values) == {a, c}


def test_the_smallest_part_is_the_complement_and_a_tie_goes_to_the_smaller_code():
    parts = {("fund", "d"): 2, ("fund", "c"): 9, ("fund", "b"): 6, ("fund", "a"): 6}
    tree, values = _tree({("subdistrict", "500203"): parts})
    assert tree.hidden(values) == {("fund", "d"), ("fund", "a")}


# --- any small country --------------------------------------------------------------------------------------------

COUNT = st.one_of(st.integers(0, 4), st.integers(5, 14))
COUNTRY = st.lists(st.lists(st.lists(COUNT, min_size=1, max_size=3), min_size=1, max_size=3), min_size=1,
                   max_size=3)


def _country(provinces: list) -> dict:
    return {TH: {("province", f"{p}"): {("subdistrict", f"{p}{s}"): {("fund", f"{p}{s}{f}"): value
                                                                       for f, value in enumerate(funds)}
                                        for s, funds in enumerate(subdistricts)}
                 for p, subdistricts in enumerate(provinces)}}


def _plus(a: int, b: int, mask: int) -> int:
    """The sums of a value in set ``a`` and one in set ``b`` (sets of numbers as bits)."""
    out, i = 0, 0
    while a >> i:
        if a >> i & 1:
            out |= b << i
        i += 1
    return out & mask


def _possible(tree: Tree, values: dict, hidden: set) -> dict:
    """Each cell's values a reader could not rule out, knowing the published cells, that each area is the sum of
    its parts, and that a hidden cell is at least 1 — worked out by brute force over the tree (sets of sums up,
    then what the cells above allow down), not by the rules that chose the cells."""
    cap = 2 * values[TH] + 2
    mask = (1 << (cap + 1)) - 1
    inside = {}

    def up(node):
        parts = tree.children.get(node, [])
        if node not in hidden:
            own = 1 << values[node]
        else:
            own = mask & ~1  # 1 … cap
        sums = own
        if parts:
            sums = 1
            for part in parts:
                sums = _plus(sums, up(part), mask)
            sums &= own
        inside[node] = sums
        return sums

    up(TH)
    possible = {TH: inside[TH]}
    stack = [TH]
    while stack:
        node = stack.pop()
        parts = tree.children.get(node, [])
        for i, part in enumerate(parts):
            others = 1
            for j, other in enumerate(parts):
                if j != i:
                    others = _plus(others, inside[other], mask)
            room, u = 0, 0
            while others >> u:  # the node's possible totals less the other parts' possible sums
                if others >> u & 1:
                    room |= possible[node] >> u
                u += 1
            possible[part] = inside[part] & room
            stack.append(part)
    return possible


@settings(max_examples=300, deadline=None)
@given(COUNTRY)
def test_no_hidden_cell_can_be_worked_out(provinces):
    tree, values = _tree(_country(provinces))
    hidden = tree.hidden(values)
    assert _primary(values) <= hidden  # every small count is hidden …
    assert all(values[n] > 0 for n in hidden)  # … a hidden cell is never 0 …
    assert _subtraction_gives_back(tree, values, hidden) == []  # … no total minus its parts gives one back …
    possible = _possible(tree, values, hidden)
    for node in tree.parent:
        assert possible[node] >> values[node] & 1, node  # (the brute force allows the true value)
        if node in hidden:  # … nor does anything else a reader can work out: two values at least
            assert possible[node] & (possible[node] - 1), (node, values[node])


@settings(max_examples=50, deadline=None)
@given(COUNTRY, st.randoms(use_true_random=False))
def test_the_same_rows_in_any_order_hide_the_same_cells(provinces, shuffle: random.Random):
    tree, values = _tree(_country(provinces))
    nodes = list(tree.parent)
    shuffle.shuffle(nodes)
    again = Tree({n: tree.parent[n] for n in nodes})
    assert again.hidden({n: values[n] for n in reversed(nodes)}) == tree.hidden(values)


# --- the published files and the home page ------------------------------------------------------------------------

@pytest.fixture
def chiang_mai_of_three(world, system_user):
    """FY 2550: Chiang Mai's funds A-001 (2 members paying 600 baht), X-0 (12, 3,600) and X-1 (30, 9,000), each
    its subdistrict's only fund; Khon Kaen's B-001 (20, 6,000); the country 64."""
    from chumchon.geo.models import Subdistrict
    from chumchon.welfare import services

    for code, sub in (("X-0", "500101"), ("X-1", "500102")):
        services.fund_create(actor=system_user, code=code, name_th=f"กองทุน {code}",
                             subdistrict=Subdistrict.objects.get(code=sub))
    rows = [(Level.FUND, "A-001", 2), (Level.FUND, "X-0", 12), (Level.FUND, "X-1", 30), (Level.FUND, "B-001", 20),
            (Level.SUBDISTRICT, "500203", 2), (Level.SUBDISTRICT, "500101", 12), (Level.SUBDISTRICT, "500102", 30),
            (Level.SUBDISTRICT, "400101", 20), (Level.DISTRICT, "5002", 2), (Level.PROVINCE, "50", 44),
            (Level.PROVINCE, "40", 20), (Level.NATION, "TH", 64)]
    for level, code, members in rows:
        AreaSummary.objects.create(level=level, code=code, fiscal_year=2550, month=0, funds=1, members_active=members,
                                   members_new=members,  # all joined that year: the years add up
                                   contribution_payments=members, contributions=Decimal(300 * members),
                                   money_members=Decimal(300 * members))  # the year's money: what came in


def _json(client, dataset):
    url = reverse("open_data:dataset", args=[dataset, "json"]) + "?fiscal_year=2550"
    return {r["code"]: r for r in client.get(url).json()["rows"]}


@pytest.mark.django_db
def test_the_files_hide_the_complement_with_its_money(chiang_mai_of_three, client):
    funds, subdistricts, provinces = _json(client, "funds"), _json(client, "subdistricts"), _json(client, "provinces")
    # before: 44 - 12 - 30 = 2, fund A-001's members, from the province and the other two funds
    assert [funds[c]["members_active"] for c in ("A-001", "X-0", "X-1")] == [None, None, 30]
    assert [funds[c]["contributions"] for c in ("A-001", "X-0", "X-1")] == [None, None, "9000.00"]
    assert [subdistricts[c]["members_active"] for c in ("500203", "500101", "500102")] == [None, None, 30]
    assert provinces["50"]["members_active"] == 44 and provinces["50"]["contributions"] == "13200.00"
    assert provinces["50"]["members_active"] - funds["X-1"]["members_active"] == 14  # together
    assert funds["B-001"]["members_active"] == 20 and provinces["40"]["members_active"] == 20  # nothing small there
    text = client.get(reverse("open_data:dataset", args=["funds", "csv"]) + "?fiscal_year=2550").content
    x0 = next(r for r in csv.DictReader(io.StringIO(text.decode("utf-8-sig"))) if r["code"] == "X-0")
    assert x0["members_active"] == x0["contribution_payments"] == x0["contributions"] == ""  # the same marker


@pytest.mark.django_db
def test_the_home_page_hides_the_countrys_total_when_it_would_tell(client):
    """Five provinces with one payment each this year: the country's 5 would say each is 1, so the home page
    shows — for the payments and their money, as the provinces' file leaves them empty."""
    from django.utils import timezone

    from chumchon.core.thai.fiscal import fiscal_year_of

    year = fiscal_year_of(timezone.localdate()).be_year
    for code in ("10", "11", "12", "13", "14"):
        AreaSummary.objects.create(level=Level.PROVINCE, code=code, fiscal_year=year, month=0, funds=1,
                                   members_active=50, contribution_payments=1, contributions=Decimal(100))
    AreaSummary.objects.create(level=Level.NATION, code="TH", fiscal_year=year, month=0, funds=5,
                               members_active=250, contribution_payments=5, contributions=Decimal(500))
    body = client.get(reverse("home")).content.decode()
    figures = body.split('id="national-figures"', 1)[1].split("</section>", 1)[0]
    assert "500.00" not in figures and "<strong>—</strong>" in figures and "<strong>250</strong>" in figures
    national, running = opendata.headline(timezone.localdate())
    assert running and national["contribution_payments"] is None and national["contributions"] is None
    assert national["members_active"] == 250
