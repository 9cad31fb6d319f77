"""Open data (ข้อมูลเปิด): de-identified aggregates per fund, subdistrict and province, and their catalogue.

Never a person: only summary rows are read. **Small-count suppression**: a cell that counts people (members,
new/lapsed/deceased/left members, contribution payments, members covered, benefits paid, recipients) and is
1–4 is published empty (CSV) or ``null`` (JSON), and so is the money cell that belongs to it (contributions with
their payments, benefits paid with their recipients, government matching with the members it covers), so that no
small group's benefit or contribution can be read. Zero is published (nobody is identified by it).

**Complementary (secondary) suppression**: funds, subdistricts and provinces are published together, and the
public home page publishes the country's total, so each published total is the sum of its published parts
(a fund's subdistrict, a subdistrict's province, the provinces' country). Where one cell of a figure and year is
the only hidden part under a published total, the total minus the published parts would give it back; so, for
each figure and year, :class:`Tree` hides more cells until no hidden cell can be worked out from what is
published (:meth:`Tree.hidden`):

* a published total with exactly one hidden part (one level down) loses its smallest non-zero published part too
  (the smallest count, then the smallest code) — of two parts, the other one: that costs less than hiding the
  total, which would need a hidden neighbour a level up — or loses itself when it has no such part (it has one
  part, or the others are zero);
* a hidden total keeps at least one hidden part (else it is the sum of its published parts): its smallest non-zero
  part is hidden with it — so a subdistrict hidden beside its province's hidden one takes one of its funds along;
* every hidden cell is at least 1 (zero is published, and a complement is never zero), so the hidden cells reached
  from a published total through hidden cells, if they add up to no more than their number, would all be 1: the
  total then hides one more part (or itself, as above) — five provinces of 1 hide the country's 5.

The money cell of a count hidden this way is hidden with it (the same cells, so it cannot be worked out either).

**The years' chain** (:data:`CHAIN`): a row's member counts follow from the row of the year before (members at the
end = at the end of the last + new − lapsed − deceased − left), so a hidden count must not be the one unknown of
that sum either (:func:`_chain_complements`); and sums together can still tell what none tells alone, so the rule
ends with a reader's audit (:mod:`chumchon.insights.disclosure`) and hides more until it pins nothing
(:func:`hidden_cells`).

The rows are read once (:func:`complementary`) and looked at top down: no query per row. The work takes seconds
for the whole country, so it is done by the worker and kept as a release (:func:`publish`, :func:`release`): open
data and the public home page read the release.
"""

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Subquery
from django.utils import timezone

from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.geo.models import Province, Subdistrict
from chumchon.insights import disclosure
from chumchon.insights.models import (
    NATION_CODE,
    STOCK_MONEY,
    AreaSummary,
    Level,
    OpenDataRelease,
    PublishedSummary,
    SummaryVersion,
)
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
# The levels whose rows are published (open data; the country's on the public home page), top down: each row is
# the sum of the rows one level down in it (districts and regions are not published, so a subdistrict is a part
# of its province).
TREE = (Level.NATION, Level.PROVINCE, Level.SUBDISTRICT, Level.FUND)

Node = tuple[str, str]  # (level, code)


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


_SUPPRESSED_TH = ("จำนวนคนที่น้อยกว่า 5 คน (และเงินที่เป็นของกลุ่มนั้น) ไม่เผยแพร่ และเพื่อไม่ให้คำนวณตัวเลขที่ปกปิดย้อนกลับ"
                  "จากยอดรวม จากจำนวนสมาชิกของปีก่อนกับผู้เข้าและออกในปี หรือจากเงินกองทุนของปีก่อนกับรายรับ"
                  "และสวัสดิการที่จ่ายในปีได้ ตัวเลขอื่นบางช่อง (หรือยอดรวมเอง) ก็ไม่เผยแพร่ด้วย")
_SUPPRESSED_EN = ("Counts of people under 5 (and the money that belongs to them) are suppressed, and so are a few "
                  "other cells (or a total), so that no suppressed cell can be worked out from a total and its "
                  "published parts, from the year before's members and the year's joiners and leavers, or from "
                  "the year before's fund money and the year's income and benefits.")
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
    """The record with small counts of people (and their money) blanked out as ``None``; a count already
    ``None`` (hidden by :class:`Tree`) blanks its money too."""
    out = dict(record)
    for name in PEOPLE_COUNTS:
        if 0 < (record.get(name) or 0) < SUPPRESS_BELOW:
            out[name] = None
    for money, count in LINKED_MONEY.items():
        if out.get(count, 0) is None:
            out[money] = None
    return out


class Tree:
    """One year's published rows as a tree: each node — ``(level, code)`` — under the nearest area above it that
    has a row (a fund under its subdistrict, a subdistrict under its province, a province under the country)."""

    def __init__(self, parent: Mapping[Node, Node | None]):
        self.parent = dict(parent)
        children: dict[Node, list[Node]] = defaultdict(list)
        for node in sorted(self.parent):
            if self.parent[node] is not None:
                children[self.parent[node]].append(node)
        self.children = dict(children)
        self.depth: dict[Node, int] = {}
        for node in self.parent:
            path = []
            while node is not None and node not in self.depth:
                path.append(node)
                node = self.parent.get(node)
            depth = -1 if node is None else self.depth[node]
            for n in reversed(path):
                depth += 1
                self.depth[n] = depth

    def hidden(self, values: Mapping[Node, int], forced: Iterable[Node] = ()) -> set[Node]:
        """The nodes whose value of one figure is published empty: those of 1 to ``SUPPRESS_BELOW`` - 1 (primary
        suppression), ``forced`` (hidden for another reason: the years' chain, :func:`complementary`) and the
        complements that keep them from being worked out from a published total (the rules in the module's
        docstring). Nodes are looked at top down, in an order fixed by their codes, and a complement is the smallest
        value, then the smallest node: the same rows give the same cells."""
        hide = {n for n in self.parent if 0 < values[n] < SUPPRESS_BELOW} | set(forced)
        todo: list[list[Node]] = [[] for _ in range(max(self.depth.values(), default=0) + 1)]
        queued: set[Node] = set()

        def push(node: Node | None) -> None:
            # a published node above hidden ones, or a hidden node with parts (a hidden fund has nothing to check)
            if node is not None and node not in queued and (node not in hide or node in self.children):
                queued.add(node)
                todo[self.depth[node]].append(node)

        def published_above(node: Node) -> Node | None:
            up = self.parent.get(node)
            while up is not None and up in hide:
                up = self.parent.get(up)
            return up

        def conceal(node: Node) -> None:
            hide.add(node)
            push(node)
            push(published_above(node))  # its hidden parts now hang from there

        def smallest(nodes: list[Node]) -> Node | None:
            best = min(((values[n], n) for n in nodes if n not in hide and values[n] > 0), default=None)
            return best[1] if best else None

        for node in sorted(hide):
            push(node)
            push(published_above(node))
        while level := next((nodes for nodes in todo if nodes), None):
            node = level.pop()
            queued.discard(node)
            parts = self.children.get(node, [])
            if node in hide:
                if parts and not any(p in hide for p in parts):  # the sum of its published parts
                    conceal(smallest(parts) or min(parts))
                continue
            hidden_parts = [p for p in parts if p in hide]
            if hidden_parts and (len(hidden_parts) == 1 or self._all_ones(hidden_parts, hide, values)):
                conceal(smallest(parts) or node)
        return hide

    def _all_ones(self, hidden_parts: list[Node], hide: set[Node], values: Mapping[Node, int]) -> bool:
        """Whether the hidden cells reached from a published total through hidden cells only (down to the first
        without hidden parts) add up to no more than their number — each is at least 1, so each would be 1."""
        total = count = 0
        stack = list(hidden_parts)
        while stack:
            node = stack.pop()
            below = [p for p in self.children.get(node, []) if p in hide]
            if below:
                stack.extend(below)
            else:
                total, count = total + values[node], count + 1
        return total <= count


def _tree_of(nodes: Iterable[Node], fund_subdistrict: Mapping[str, str]) -> Tree:
    present = set(nodes)

    def above(level: str, code: str) -> list[Node]:
        if level == Level.FUND:
            sub = fund_subdistrict.get(code)
            return [(Level.SUBDISTRICT, sub), (Level.PROVINCE, sub[:2]), (Level.NATION, NATION_CODE)] if sub else []
        if level == Level.SUBDISTRICT:
            return [(Level.PROVINCE, code[:2]), (Level.NATION, NATION_CODE)]
        return [(Level.NATION, NATION_CODE)] if level == Level.PROVINCE else []

    return Tree({node: next((up for up in above(*node) if up in present), None) for node in present})


# A row's member counts are tied to the same fund's or area's row of the year before:
#   members_active(y) + members_lapsed(y) + members_deceased(y) + members_left(y) = members_active(y-1) + members_new(y)
# (the members at the end of a year are those at the end of the last, plus who joined, less who left). Each cell of
# it: (figure, years back, side of the equation).
CHAIN = (("members_active", 0, 1), ("members_lapsed", 0, 1), ("members_deceased", 0, 1), ("members_left", 0, 1),
         ("members_new", 0, -1), ("members_active", 1, -1))


@dataclass(frozen=True)
class System:
    """Figures tied together: each year's are summed up the tree, and a node's are tied to its year before by
    ``chain`` ((figure, years back, side) — the sides add up to the same), whose year-end figure is ``stock``."""

    names: tuple[str, ...]
    chain: tuple[tuple[str, int, int], ...]
    stock: str

    @cached_property
    def index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.names)}

    @cached_property
    def chained(self) -> frozenset[int]:
        return frozenset(self.index[name] for name, _, _ in self.chain)


COUNTS = System(PEOPLE_COUNTS, CHAIN, "members_active")
# A fund's money at the end of a year is the last year's, plus what came in, less the benefits paid — other
# income and costs (interest, running costs, refunds) are not published, and are assumed nil: where they are
# not, the sum does not hold exactly and a reader learns less, never more.
MONEY = System(("contributions", "grant_government", "grant_local", "grant_donations", "grant_other",
                "benefits_paid", "fund_money"),
               (("fund_money", 0, 1), ("benefits_paid", 0, 1), ("fund_money", 1, -1), ("contributions", 0, -1),
                ("grant_government", 0, -1), ("grant_local", 0, -1), ("grant_donations", 0, -1),
                ("grant_other", 0, -1)),
               "fund_money")


def complementary(rows: Iterable, fund_subdistrict: Mapping[str, str] | None = None) -> dict[tuple, frozenset]:
    """``(fiscal_year, level, code)`` -> the figures published empty in that row, for the year rows of the
    published levels among ``rows`` (every year of them: the years are tied by each system's chain): small counts
    and their complements (:func:`hidden_cells` over :data:`COUNTS`), then the money of a hidden count and its
    complements (the same over :data:`MONEY`, in satang). One query for the funds' subdistricts unless
    ``fund_subdistrict`` (fund code -> subdistrict code) is given."""
    if fund_subdistrict is None:
        fund_subdistrict = dict(Fund.objects.values_list("organisation__code", "organisation__subdistrict_id"))
    counts: dict[int, dict[Node, tuple]] = defaultdict(dict)
    money: dict[int, dict[Node, tuple]] = defaultdict(dict)
    for row in rows:
        if row.month == 0 and row.level in TREE:
            node = (row.level, row.code)
            counts[row.fiscal_year][node] = tuple(getattr(row, name) for name in COUNTS.names)
            money[row.fiscal_year][node] = tuple(int(getattr(row, name) * 100) for name in MONEY.names)
    out: dict[tuple, set] = defaultdict(set)
    hidden = hidden_cells(counts, fund_subdistrict)
    for system, cells in ((COUNTS, hidden),
                          (MONEY, hidden_cells(money, fund_subdistrict, MONEY, linked_money(hidden)))):
        for (year, i), nodes in cells.items():
            for level, code in nodes:
                out[(year, level, code)].add(system.names[i])
    return {key: frozenset(names) for key, names in out.items()}


def linked_money(hidden: Mapping[tuple[int, int], set[Node]]) -> dict[tuple[int, int], set[Node]]:
    """The money cells (``(year, index in MONEY.names)`` -> nodes) hidden with the hidden people counts
    ``hidden`` (``(year, index in COUNTS.names)`` -> nodes): :data:`LINKED_MONEY`."""
    linked: dict[tuple[int, int], set[Node]] = defaultdict(set)
    for (year, i), nodes in hidden.items():
        for name, count in LINKED_MONEY.items():
            if COUNTS.names[i] == count:
                linked[(year, MONEY.index[name])] |= nodes
    return linked


# The audit first reads groups of at most AUDIT_GROUP hidden cells (quick: each round finds what a few sums
# together give away and is done again only where cells were added); when that finds nothing, all the sums at once
# (the country's hidden cells are tied into one group by a few totals): only that one can say "nothing more".
AUDIT_GROUP = 1000


def hidden_cells(years: Mapping[int, Mapping[Node, tuple]], fund_subdistrict: Mapping[str, str],
                 system: System = COUNTS,
                 forced: Mapping[tuple[int, int], set[Node]] | None = None) -> dict[tuple[int, int], set[Node]]:
    """``(year, figure index)`` -> the nodes whose figure (in ``system.names``' order) is published empty, for
    ``years`` (year -> node -> the figures): those of 1–4 and ``forced`` (the money of a hidden count), then
    :meth:`Tree.hidden` for each figure and year and :func:`_chain_complements` across the years, until neither
    asks for more; then the reader's audit (:func:`disclosure.pinned` over every total and every year's chain): a
    hidden cell it still pins to one value takes one more cell of its sums with it (:func:`_audit_complement`),
    and round again. Cells are only ever added, so it ends."""
    trees = {year: _tree_of(rows, fund_subdistrict) for year, rows in years.items()}
    hidden: dict[tuple[int, int], set[Node]] = {}
    forced = defaultdict(set, {key: set(nodes) for key, nodes in (forced or {}).items()})
    todo = {(year, i) for year in years for i in range(len(system.names))}
    # groups of hidden cells the audit found nothing in (skipped while unchanged), for the quick and the whole audit
    clean_quick: set[frozenset] = set()
    clean_whole: set[frozenset] = set()
    chained, stock = system.chained, system.index[system.stock]

    def value(cell):
        return years[cell[0]][cell[2]][cell[1]]

    again: Counter = Counter()  # how many times the audit pinned a cell
    sums: dict[tuple, list] = {}  # the sums of the cells audited so far (audited), and the sums each cell is in
    sums_of: dict = defaultdict(list)
    audited: set = set()
    while True:
        while todo:
            for year, i in todo:
                rows = years[year]
                hidden[(year, i)] = trees[year].hidden({node: values[i] for node, values in rows.items()},
                                                       forced[(year, i)] & rows.keys())
            todo = set()
            for year, i, node in _chain_complements(years, hidden, system):
                forced[(year, i)].add(node)
                todo.add((year, i))
        secret = {(year, i, node) for (year, i), nodes in hidden.items() if i in chained for node in nodes}
        known = len(sums)
        _reader_sums(years, trees, secret - audited, system, sums)  # cells are only added: so are their sums
        audited |= secret
        for key in list(sums)[known:]:
            for c, _ in sums[key]:
                sums_of[c].append(key)
        why: dict = {}  # a cell pinned by sums added up -> the published cells those still hold
        found = disclosure.pinned(sums.values(), value, secret, clean_quick, AUDIT_GROUP, why)
        whole = not found
        if whole:  # nothing more in small groups: the whole country's sums together
            found = disclosure.pinned(sums.values(), value, secret, clean_whole)
        if not found:
            return hidden
        for cell in sorted(found):
            again[cell] += 1  # pinned again: what was hidden beside it cancelled out in the reader's sums
            count = 2 ** (again[cell] + 1) if whole else 2 ** (again[cell] - 1)  # (a whole round costs more)
            chosen = sorted((c for c in why.get(cell, ()) if value(c) > 0), key=lambda c: (c[1] == stock, value(c), c))
            chosen = chosen[:count] or _audit_complement(cell, value, sums_of, sums, secret, stock, count)
            for extra in chosen:
                forced[extra[:2]].add(extra[2])
                todo.add(extra[:2])
        if not todo:
            return hidden  # pinned cells with no published cell left beside them (figures that cannot be hidden more)


def _reader_sums(years, trees, secret, system: System = COUNTS, sums: dict | None = None) -> dict[tuple, list]:
    """The sums a reader knows that hold a cell of ``secret`` (``(year, figure index, node)``), by key: a total
    and its parts (``("sum", year, i, total)``) and a node's year (``("chain", year, node)``), as
    ``[(cell, ±1), …]`` adding up to 0 — added to ``sums`` when given."""
    sums = {} if sums is None else sums
    index, stock = system.index, system.index[system.stock]

    def total(year, i, node):
        parts = trees[year].children.get(node) if node is not None else None
        key = ("sum", year, i, node)
        if parts and key not in sums:
            sums[key] = [((year, i, node), 1), *(((year, i, p), -1) for p in parts)]

    def chain(year, node):
        key = ("chain", year, node)
        if key not in sums and node in years.get(year, ()):
            sums[key] = [((year - back, index[name], node), side) for name, back, side in system.chain
                         if not back or node in years.get(year - 1, ())]

    for year, i, node in sorted(secret):  # a fixed order: the same rows give the same sums, the same audit
        total(year, i, node)
        total(year, i, trees[year].parent.get(node))
        chain(year, node)
        if i == stock:
            chain(year + 1, node)
    return sums


def _audit_complement(cell, value, sums_of, sums, secret, stock: int, count: int = 1) -> list:
    """The ``count`` cells to hide with ``cell``, which the audit pinned: the smallest non-zero published cells (a
    flow before a year-end figure) of the sums nearest to it — its own first, then those reached through the hidden
    cells of those, and so on (what pinned it may be a combination of sums further away). Fewer (none) when the
    sums it is tied to have fewer published cells left. A cell pinned again is given twice as many as the time
    before: a hidden cell can cancel out of the sums that pin it (a fund's joiners in its own year and in its
    subdistrict's), and one more at a time could take a round each. ``value(cell)`` is a cell's figure; ``stock``
    the index of the year-end figure."""
    seen, frontier, looked, out = {cell}, [cell], set(), {}
    while frontier and len(out) < count:
        shown, further = [], []
        for hidden_cell in frontier:
            for key in sums_of.get(hidden_cell, ()):
                if key in looked:
                    continue
                looked.add(key)
                for other, _ in sums[key]:
                    if other in secret:
                        if other not in seen:
                            seen.add(other)
                            further.append(other)
                    elif (figure := value(other)) > 0:
                        shown.append((other[1] == stock, figure, other))
        out.update(dict.fromkeys(other for _, _, other in sorted(shown)))
        frontier = further
    return list(out)[:count]


def _chain_complements(years: Mapping[int, Mapping[Node, tuple]], hidden: Mapping[tuple[int, int], set[Node]],
                       system: System = COUNTS) -> set[tuple[int, int, Node]]:
    """The cells ``(year, figure index, node)`` to hide as well so that no hidden cell can be worked out from its
    row's chain (:data:`CHAIN`, :data:`MONEY`): where the equation has one hidden cell, or hidden cells all on one
    side adding up to no more than their number (each is at least 1, so each would be 1), its smallest non-zero
    published cell — a flow of the year before a year-end figure (one equation, not two), then the smaller value.
    A node's year before its first row counts as a published 0 (nobody was a member; no money yet)."""
    index, out = system.index, set()
    stock = index[system.stock]
    for year, rows in years.items():
        before = years.get(year - 1, {})
        suspects = set().union(*(hidden[(year, index[name])] for name, back, _ in system.chain if not back),
                               hidden.get((year - 1, stock), ()))
        for node in sorted(suspects & rows.keys()):
            cells = []  # (is a year-end figure, value, years back, figure index, side, hidden)
            for name, back, side in system.chain:
                i, y = index[name], year - back
                source = rows if not back else before
                if node in source:
                    cells.append((i == stock, source[node][i], back, i, side, node in hidden[(y, i)]))
            secret = [c for c in cells if c[5]]
            if not secret or (len(secret) > 1 and (len({c[4] for c in secret}) > 1
                                                   or sum(c[1] for c in secret) > len(secret))):
                continue
            choice = min((c for c in cells if not c[5] and c[1] > 0), default=None)
            if choice is not None:
                out.add((year - choice[2], choice[3], node))
    return out


FIGURES = ("funds", *PEOPLE_COUNTS, "contributions", "grant_government", "grant_local", "grant_donations",
           "grant_other", "benefits_paid", "fund_money")


def summaries_mark() -> str:
    """What the summaries are now, to compare with a release's ``mark``: the count of the services' changes
    (:class:`SummaryVersion`), and the published levels' year rows' number and latest change (rows written by
    other means). One query, so one snapshot: the count and the rows agree. A release reads its rows after its
    mark, so a change committed in between is in the release and makes the next mark differ — one release more,
    never one missed."""
    version = Subquery(SummaryVersion.objects.filter(pk=1).values("number")[:1])
    changed = AreaSummary.objects.filter(level__in=TREE, month=0).aggregate(
        n=Count("id"), last=Max("updated"), version=Max(version))
    return f"{changed['version'] or 0}|{changed['n']}|{changed['last'].isoformat() if changed['last'] else ''}"


# What a release reads of a year row: its key, then what it publishes (fund money is the sum of STOCK_MONEY).
_READ = ("fiscal_year", "level", "code", "funds", *PEOPLE_COUNTS, "contributions", "grant_government", "grant_local",
         "grant_donations", "grant_other", "benefits_paid", *STOCK_MONEY)


@dataclass(frozen=True, slots=True)
class _Row:
    """A year row as a release reads it (only the columns it needs: a whole country's rows stay small)."""

    fiscal_year: int
    level: str
    code: str
    values: dict

    @property
    def month(self) -> int:
        return 0

    def __getattr__(self, name):
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


def _read_rows() -> list[_Row]:
    rows = []
    for values in AreaSummary.objects.filter(level__in=TREE, month=0).values_list(*_READ).iterator(chunk_size=5000):
        named = dict(zip(_READ, values, strict=True))
        named["fund_money"] = sum(named.pop(name) for name in STOCK_MONEY)
        rows.append(_Row(named.pop("fiscal_year"), named.pop("level"), named.pop("code"), named))
    return rows


def publish(*, force: bool = False, fresh_for: float = 0) -> OpenDataRelease:
    """Work out open data from the summaries as they are and store it as a new release — unless the latest release
    already read them so, or is younger than ``fresh_for`` seconds (``force`` makes one anyway). The year rows of
    the published levels are read once (their published columns only), their small counts and complements worked
    out (:func:`complementary`: for the whole country, seconds; see docs/benchmarks.md) outside any transaction,
    then written in one short one — unless another release landed meanwhile (it is as new: ours is dropped).
    The release before the new one is kept (a request reading it while this commits still finds its rows);
    older ones go."""
    mark = summaries_mark()
    latest = OpenDataRelease.objects.order_by("-pk").first()
    if latest is not None and not force and (
            latest.mark == mark or (timezone.now() - latest.made).total_seconds() < fresh_for):
        return latest
    started = time.perf_counter()
    read = _read_rows()
    hidden = complementary(read)
    with transaction.atomic():
        if connection.vendor == "postgresql":  # one publisher at a time; SQLite's write transactions already are
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PUBLISH_LOCK])
        now_latest = OpenDataRelease.objects.order_by("-pk").first()
        if now_latest is not None and (latest is None or now_latest.pk != latest.pk) and not force:
            return now_latest  # another publisher finished while this one worked: its release is as new
        release = OpenDataRelease.objects.create(made=timezone.now(), mark=mark, rows=len(read))
        PublishedSummary.objects.bulk_create(
            (PublishedSummary(release=release, level=row.level, code=row.code, fiscal_year=row.fiscal_year,
                              **{name: value for name, value in _record(
                                  row, hidden.get((row.fiscal_year, row.level, row.code), frozenset())).items()
                                 if name in FIGURES})
             for row in read), batch_size=2000)
        if now_latest is not None:
            PublishedSummary.objects.filter(release_id__lt=now_latest.pk).delete()
            OpenDataRelease.objects.filter(pk__lt=now_latest.pk).delete()
        release.seconds = round(time.perf_counter() - started, 3)
        release.save(update_fields=["seconds"])
    return release


PUBLISH_LOCK = 0x6F70656E64617461  # "opendata": the advisory lock of publish() on PostgreSQL
_checked_at: float | None = None


def release() -> OpenDataRelease | None:
    """The release open data is read from: the latest. When it is older than ``OPEN_DATA_MAX_AGE`` seconds, this
    process looks — at most once in that time — whether the summaries have changed since, and if so asks the
    background worker for a new one (the ``opendata_publish`` task); until it is made, the latest is read."""
    global _checked_at
    latest = OpenDataRelease.objects.order_by("-pk").first()
    max_age = settings.OPEN_DATA_MAX_AGE
    old = latest is None or (timezone.now() - latest.made).total_seconds() >= max_age
    if old and (_checked_at is None or time.monotonic() - _checked_at >= max_age):
        _checked_at = time.monotonic()
        if latest is None or latest.mark != summaries_mark():
            from chumchon.insights.tasks import opendata_publish

            opendata_publish.enqueue()
            latest = OpenDataRelease.objects.order_by("-pk").first()  # made already by an immediate task backend
    return latest


def _shown(row: PublishedSummary, **extra) -> dict:
    return {"fiscal_year": row.fiscal_year, "code": row.code, **extra, **{name: getattr(row, name) for name in FIGURES}}


def records(dataset: Dataset, fiscal_year: int | None = None) -> list[dict]:
    """The dataset's rows as released (:func:`release`), of one year or every year, in year and code order, with
    each row's name and province. None before the first release."""
    latest = release()
    if latest is None:
        return []
    if dataset.level == Level.FUND:
        names = {code: (name, (sub or "")[:2]) for code, name, sub in Fund.objects.values_list(
            "organisation__code", "organisation__name_th", "organisation__subdistrict_id")}
    elif dataset.level == Level.SUBDISTRICT:
        names = {code: (name, code[:2]) for code, name in Subdistrict.objects.values_list("code", "name_th")}
    else:
        names = {code: (name, code) for code, name in Province.objects.values_list("code", "name_th")}
    rows = latest.summaries.filter(level=dataset.level).order_by("fiscal_year", "code")
    if fiscal_year:
        rows = rows.filter(fiscal_year=fiscal_year)
    result = []
    for row in rows.iterator(chunk_size=2000):
        name, province = names.get(row.code, ("", ""))
        result.append(_shown(row, name_th=name, province_code=province))
    return result


def headline(today) -> tuple[dict | None, bool]:
    """The country's figures for the public home page, from the latest :func:`release` — its latest fiscal year up
    to the running one, as of the release's making (``updated``), so the home page shows what the open data
    shows — and whether that year is still running. ``(None, False)`` before the first release."""
    running = fiscal_year_of(today).be_year
    latest = release()
    row = latest and latest.summaries.filter(level=Level.NATION, code=NATION_CODE,
                                             fiscal_year__lte=running).order_by("-fiscal_year").first()
    if row is None:
        return None, False
    return _shown(row, updated=latest.made), row.fiscal_year == running


def _record(row, hide: frozenset, **extra) -> dict:
    record = {"fiscal_year": row.fiscal_year, "code": row.code, **extra, "funds": row.funds,
              **{c: None if c in hide else getattr(row, c) for c in (*PEOPLE_COUNTS, *MONEY.names)}}
    return suppress(record)
