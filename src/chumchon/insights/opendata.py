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
The rows are read once (:func:`complementary`) and looked at top down: no query per row.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Max

from chumchon.geo.models import Province, Subdistrict
from chumchon.insights.models import NATION_CODE, AreaSummary, Level
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
                  "จากยอดรวมได้ ตัวเลขอื่นบางช่อง (หรือยอดรวมเอง) ก็ไม่เผยแพร่ด้วย")
_SUPPRESSED_EN = ("Counts of people under 5 (and the money that belongs to them) are suppressed, and so are a few "
                  "other cells (or a total), so that no suppressed cell can be worked out from a total and its "
                  "published parts.")
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

    def hidden(self, values: Mapping[Node, int]) -> set[Node]:
        """The nodes whose value of one figure is published empty: those of 1 to ``SUPPRESS_BELOW`` - 1 (primary
        suppression) and the complements that keep them from being worked out from a published total (the rules
        in the module's docstring). Nodes are looked at top down, in an order fixed by their codes, and a complement
        is the smallest value, then the smallest node: the same rows give the same cells."""
        hide = {n for n in self.parent if 0 < values[n] < SUPPRESS_BELOW}
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


def complementary(summaries, fund_subdistrict: Mapping[str, str] | None = None) -> dict[tuple, frozenset]:
    """``(fiscal_year, level, code)`` -> the people counts published empty in that row, for the year rows of the
    published levels among ``summaries`` (a queryset of :class:`AreaSummary`): small counts and their complements
    (:meth:`Tree.hidden`), figure by figure and year by year. One query for the counts, and one for the funds'
    subdistricts unless ``fund_subdistrict`` (fund code -> subdistrict code) is given."""
    if fund_subdistrict is None:
        fund_subdistrict = dict(Fund.objects.values_list("organisation__code", "organisation__subdistrict_id"))
    years: dict[int, dict[Node, tuple]] = defaultdict(dict)
    for year, level, code, *counts in summaries.filter(level__in=TREE, month=0).values_list(
            "fiscal_year", "level", "code", *PEOPLE_COUNTS).iterator(chunk_size=5000):
        years[year][(level, code)] = counts
    out: dict[tuple, set] = defaultdict(set)
    for year, rows in years.items():
        tree = _tree_of(rows, fund_subdistrict)
        for i, name in enumerate(PEOPLE_COUNTS):
            for level, code in tree.hidden({node: counts[i] for node, counts in rows.items()}):
                out[(year, level, code)].add(name)
    return {key: frozenset(names) for key, names in out.items()}


def records(dataset: Dataset, fiscal_year: int | None = None) -> list[dict]:
    summaries = AreaSummary.objects.filter(month=0)
    if fiscal_year:
        summaries = summaries.filter(fiscal_year=fiscal_year)
    funds = {code: (name, sub) for code, name, sub in Fund.objects.values_list(
        "organisation__code", "organisation__name_th", "organisation__subdistrict_id")}
    hidden = complementary(summaries, {code: sub for code, (_, sub) in funds.items()})
    if dataset.level == Level.FUND:
        names = {code: (name, sub[:2]) for code, (name, sub) in funds.items()}
    elif dataset.level == Level.SUBDISTRICT:
        names = {code: (name, code[:2]) for code, name in Subdistrict.objects.values_list("code", "name_th")}
    else:
        names = {code: (name, code) for code, name in Province.objects.values_list("code", "name_th")}
    result = []
    for row in summaries.filter(level=dataset.level).order_by("fiscal_year", "code").iterator(chunk_size=2000):
        name, province = names.get(row.code, ("", ""))
        hide = hidden.get((row.fiscal_year, row.level, row.code), frozenset())
        result.append(_record(row, hide, name_th=name, province_code=province))
    return result


def published(row: AreaSummary, **extra) -> dict:
    """A summary row as the public may read it — open data, the public home page: its columns with small
    counts of people and their money suppressed (:func:`suppress`), plus ``extra``. A year row of a published
    level (the country's, on the home page) also has its complements hidden, read with the rest of its year
    (:func:`complementary`, two queries), so that it shows what the open data shows."""
    hide = frozenset()
    if row.month == 0 and row.level in TREE:
        year = complementary(AreaSummary.objects.filter(fiscal_year=row.fiscal_year))
        hide = year.get((row.fiscal_year, row.level, row.code), hide)
    return _record(row, hide, **extra)


def _record(row: AreaSummary, hide: frozenset, **extra) -> dict:
    record = {"fiscal_year": row.fiscal_year, "code": row.code, **extra, "funds": row.funds,
              **{c: None if c in hide else getattr(row, c) for c in PEOPLE_COUNTS},
              "contributions": row.contributions, "grant_government": row.grant_government,
              "grant_local": row.grant_local, "grant_donations": row.grant_donations,
              "grant_other": row.grant_other, "benefits_paid": row.benefits_paid,
              "fund_money": row.fund_money}
    return suppress(record)


def modified(dataset: Dataset):
    return AreaSummary.objects.filter(level=dataset.level).aggregate(m=Max("updated"))["m"]
