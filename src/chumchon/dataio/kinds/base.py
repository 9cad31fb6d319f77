"""What every import kind shares: its columns (Thai header, English alias, reader), parsing a row cell by cell,
and the problems found, each naming the row, the column, the value and what is wrong in Thai and English."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from chumchon.core.audit import audit_record
from chumchon.core.thai.errors import ThaiInputError
from chumchon.dataio.readers import header_key
from chumchon.welfare.models import Fund


@dataclass(frozen=True)
class Column:
    key: str
    th: str
    en: str
    reader: Callable
    required: bool = False
    example: str = ""
    help_th: str = ""
    help_en: str = ""
    aliases: tuple[str, ...] = ()
    # The same few values down the column (a member number, a date, an amount): each distinct text read once by
    # a parser (:meth:`Kind.parser`). Only for readers whose result depends on the text alone and is immutable.
    repeats: bool = False
    # Said after "… is required" when a required cell is empty: what to do instead.
    missing_th: str = ""
    missing_en: str = ""
    # The longest text the column's model field holds (:func:`field_length`): a longer cell is a problem of its row
    # (``too_long``), found by the check, never a database error in the middle of the write.
    max_length: int | None = None


def field_length(model, name: str) -> int:
    """The ``max_length`` of a model's text field: the longest cell a column stored in it may hold."""
    return model._meta.get_field(name).max_length


def too_long(column: Column, value: str) -> tuple[str, str]:
    """The problem of a cell longer than its column holds, in Thai and English."""
    n = column.max_length
    return (f"{column.th} ยาวเกิน {n:,} ตัวอักษร: มี {len(value):,} ตัวอักษร",
            f"{column.en} is longer than {n:,} characters: it has {len(value):,}")


def _then(hint: str) -> str:
    return f": {hint}" if hint else ""


MEMO_KEPT = 50_000  # distinct texts remembered per column by a parser (a fund's members, a file's dates)
_MISSING = object()


@dataclass
class Problem:
    row: int
    column: str
    value: str
    code: str
    th: str
    en: str


class Row:
    """One row of the file: its number, the values read from its cells, what is wrong with it, and (``checked``)
    what a kind's check worked out for it when the kind keeps that outside the values (contributions: adding
    keys to every row's values cost a resize of each dict). A plain class with slots: one is made for every row
    of every import, twice (the check and a write that reads the file)."""

    __slots__ = ("number", "values", "problems", "checked")

    def __init__(self, number: int, values: dict, problems: list[Problem] | None = None) -> None:
        self.number, self.values = number, values
        self.problems: list[Problem] = [] if problems is None else problems
        self.checked = None

    def __repr__(self) -> str:
        return f"Row({self.number}, {self.values!r}, problems={self.problems!r})"

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, column: str, code: str, th: str, en: str, value=None) -> None:
        shown = "" if value is None else str(value)[:200]
        if column and value is None:
            shown = str(self.values.get(column, "") or "")[:200]
        self.problems.append(Problem(self.number, column, shown, code, th, en))


@dataclass
class Counts:
    written: int = 0
    unchanged: int = 0
    updated: int = 0

    def count(self, outcome: str) -> None:
        """One more row that was (or would be) ``written``, ``updated`` or ``unchanged``."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def add(self, other: "Counts") -> None:
        self.written += other.written
        self.unchanged += other.unchanged
        self.updated += other.updated


def outcome_of(existing, changed) -> str:
    """The outcome of a row that makes or updates one record: ``written`` when the check found no ``existing``
    record, else ``updated`` when something ``changed``, else ``unchanged``."""
    if existing is None:
        return "written"
    return "updated" if changed else "unchanged"


class _FullPath(Exception):
    """A row that needs :meth:`Kind.parse`'s full path (a required cell is empty)."""


class Kind:
    """One kind of import. Subclasses give ``name``, ``columns`` and ``check``/``write``; a ``Context`` carries
    what must be remembered from batch to batch (keys seen earlier in the file, members' paid-through dates)."""

    name = ""
    title_th = ""
    title_en = ""
    columns: list[Column] = []
    needs_fund = True
    batch_size = 2000
    stages = False  # keeps its checked rows for a set-based write (stage, write_staged, staged_left, staged_clear)
    # Columns whose values are a model's choices (``TextChoices``), by key: a change to one is shown by its Thai label.
    choice_columns: dict = {}

    def audit_batch(self, ctx: "Context", rows: list[Row], counts: Counts, organisation=None) -> None:
        """The audit row of a written batch (none when the batch changed nothing)."""
        if counts.written or counts.updated:
            audit_record(actor=ctx.actor, action=f"dataio.import_{self.name}", obj=ctx.job,
                         summary=f"rows {rows[0].number}–{rows[-1].number}: {counts.written} new, "
                                 f"{counts.updated} updated", organisation=organisation,
                         data={"written": counts.written, "updated": counts.updated})

    def outcome(self, values: dict) -> str:
        """What writing one checked, valid row would do — ``written`` (new), ``updated`` or ``unchanged`` — from
        what the check put in its values. Kinds that only add (receipts, payouts, opening balances) mark a row
        already recorded ``_unchanged``; kinds that also update records override this, and their write counts
        through it too, so that what the check announces and what the write does are worked out once."""
        return "unchanged" if values.get("_unchanged") else "written"

    def changes(self, values: dict) -> list[tuple[str, object, object]]:
        """What a row whose :meth:`outcome` is ``updated`` changes in the record already there: ``(column key, value
        now, value in the file)`` each, as stored (a choice's value: see ``choice_columns``). Kinds that update
        records give it; it reads what the check put in the values, as :meth:`outcome` does."""
        return []

    def outcomes(self, rows: list[Row]) -> Counts:
        """:meth:`outcome` of each row, added up (for the add-only kinds without a call a row: a million receipts)."""
        if type(self).outcome is Kind.outcome:
            unchanged = sum(1 for row in rows if row.values.get("_unchanged"))
            return Counts(written=len(rows) - unchanged, unchanged=unchanged)
        counts = Counts()
        for row in rows:
            counts.count(self.outcome(row.values))
        return counts

    def aliases(self) -> dict[str, str]:
        found = {}
        for column in self.columns:
            for alias in (column.th, column.en, column.key, *column.aliases):
                found[header_key(alias)] = column.key
        return found

    def required(self, has_fund: bool) -> dict[str, tuple[str, str]]:
        """The columns a file must have, each key with its header in Thai and in English (as the template has
        them): the fund's code too when no fund was chosen for the file."""
        return {c.key: (c.th, c.en) for c in self.columns
                if c.required or (c.key == "fund_code" and not has_fund)}

    def column_label(self, key: str) -> str:
        for column in self.columns:
            if column.key == key:
                return column.th
        return key

    def parser(self, present: Iterable[str] | None = None) -> Callable[[int, dict, set], Row]:
        """A function reading one row after another of a file into a :class:`Row`, which reads each distinct text of a
        column marked ``repeats`` once: the next time the value is taken from what it read then. A file of a
        million receipts holds a few hundred dates, a handful of amounts and its fund's members; their readers
        (Thai digits, B.E. years, "บาท") were most of the time spent reading it (``chumchon bench import``).
        A text that cannot be read is never remembered: each row that holds it gets its own problem.

        ``present``: the columns the file has (its header's). An optional column it does not have is None on
        every row without being looked for."""
        present = None if present is None else set(present)
        absent = {c.key: None for c in self.columns if present is not None and c.key not in present
                  and not c.required}
        columns = tuple((c.key, c.reader, c.required, {} if c.repeats else None, c.max_length) for c in self.columns
                        if c.key not in absent)
        full = self._parse_full

        def parse(number: int, raw: dict, bare_formulas: set) -> Row:
            if bare_formulas:
                return full(number, raw, bare_formulas)
            # The common row (no bare formula), in a loop kept short because it runs for every cell of every
            # row. An empty required cell, an unreadable value or one longer than its column holds takes the full
            # path, which reads the row again and says what is wrong.
            values = absent.copy()
            try:
                for key, reader, required, memo, longest in columns:
                    value = raw.get(key)
                    if memo is not None and value.__class__ is str:
                        known = memo.get(value, _MISSING)
                        if known is not _MISSING:
                            values[key] = known
                            continue
                    if value is None or (value.__class__ is str and not value.strip()):
                        if required:
                            raise _FullPath
                        values[key] = None
                        continue
                    known = values[key] = reader(value)
                    if longest is not None and known.__class__ is str and len(known) > longest:
                        raise _FullPath
                    if memo is not None and value.__class__ is str and len(memo) < MEMO_KEPT:
                        memo[value] = known
            except (_FullPath, ThaiInputError):
                return full(number, raw, bare_formulas)
            return Row(number, values)

        return parse

    def _parse_full(self, number: int, raw: dict, bare_formulas: set) -> Row:
        """Every cell read, and every problem of the row named: a bare formula, an empty required cell, a value
        its reader refuses, a value longer than its column holds."""
        row = Row(number, {})
        for column in self.columns:
            value = raw.get(column.key)
            if column.key in bare_formulas:
                row.problem(column.key, "formula", "เซลล์นี้เป็นสูตรที่ไม่มีค่าบันทึกไว้: คัดลอกแล้ววางแบบค่า (Paste Values) ก่อนนำเข้า",
                            "this cell holds a formula with no saved value: paste it as values first", value="=…")
                row.values[column.key] = None
                continue
            empty = value is None or (isinstance(value, str) and not value.strip())
            if empty:
                if column.required:
                    row.problem(column.key, "required", f"ยังไม่ได้กรอก {column.th}{_then(column.missing_th)}",
                                f"{column.en} is required{_then(column.missing_en)}", value="")
                row.values[column.key] = None
                continue
            try:
                read = column.reader(value)
            except ThaiInputError as exc:
                row.values[column.key] = None
                row.problem(column.key, exc.code, exc.message_th, exc.message_en, value=value)
                continue
            if column.max_length is not None and isinstance(read, str) and len(read) > column.max_length:
                row.values[column.key] = None
                row.problem(column.key, "too_long", *too_long(column, read), value=value)
                continue
            row.values[column.key] = read
        return row


class Context:
    """State of one import run: the fund (when one is chosen), the actor, and what earlier rows established."""

    def __init__(self, *, kind: Kind, fund: Fund | None, actor, system: bool = False, job=None) -> None:
        self.kind, self.fund, self.actor, self.system, self.job = kind, fund, actor, system, job
        self.funds: dict[str, Fund | None] = {}
        self.seen: dict = {}
        self.state: dict = {}

    def fund_for(self, row: Row) -> Fund | None:
        """The row's fund: the chosen one (a fund code on the row must agree), or the one its code names."""
        code = row.values.get("fund_code")
        if self.fund is not None:
            if code and code != self.fund.code:
                row.problem("fund_code", "other_fund", f"แถวนี้เป็นของกองทุน {code} ไม่ใช่ {self.fund.code} ที่เลือก",
                            f"this row is for fund {code}, not the chosen fund {self.fund.code}")
                return None
            return self.fund
        if not code:
            row.problem("fund_code", "required", "ยังไม่ได้กรอกรหัสกองทุน", "the fund code is required", value="")
            return None
        if code not in self.funds:
            fund = (Fund.objects.select_related("organisation__subdistrict", "organisation__book")
                    .filter(organisation__code=code).first())
            if fund is not None and not self.may_act(fund):
                fund = False
            self.funds[code] = fund
        fund = self.funds[code]
        if fund is None:
            row.problem("fund_code", "unknown_fund", f"ไม่พบกองทุนรหัส {code}", f"no fund with code {code}")
        elif fund is False:
            row.problem("fund_code", "forbidden", f"ไม่มีสิทธิ์นำเข้าข้อมูลของกองทุน {code}",
                        f"not allowed to import into fund {code}")
            return None
        return fund or None

    def may_act(self, fund: Fund) -> bool:
        from chumchon.welfare.services.common import may_act_for_fund

        return self.system or may_act_for_fund(self.actor, fund)
