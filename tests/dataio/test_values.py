"""The cell readers' fast paths (ASCII codes, cached text dates and amounts, the parse loop without problems)
give what the full paths give, problems included."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from chumchon.core.thai.errors import ThaiInputError
from chumchon.dataio import values as v
from chumchon.dataio.kinds import KINDS
from chumchon.dataio.readers import _NO_FORMULAS


@pytest.mark.parametrize("raw", ["0101", " 01 01 ", "A-001\t", "๐๑๐๑", "ก ๑", 101, 101.0, "x\u00a0y", "\x1cz"])
def test_code_fast_path_agrees_with_the_full_one(raw):
    assert v.code(raw) == v.to_arabic_digits(v.text(raw)).replace(" ", "")


def test_text_dates_and_amounts_read_again_give_the_same_values_and_the_same_problems():
    for _ in range(2):  # the second time from the cache
        assert v.date("15/11/2565") == datetime.date(2022, 11, 15)
        assert v.date("๑๕ พ.ย. ๒๕๖๕") == datetime.date(2022, 11, 15)
        assert v.amount("1,095.00 บาท") == Decimal("1095.00")
        with pytest.raises(ThaiInputError) as negative:
            v.amount("-5")
        assert negative.value.code == "negative"
        with pytest.raises(ThaiInputError) as zero:
            v.amount("0.00")
        assert zero.value.code == "zero"
        assert v.amount("-5", positive=False) == Decimal("-5.00")


def test_future_dates_are_still_refused_near_today():
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    as_text = f"{tomorrow.day}/{tomorrow.month}/{tomorrow.year + 543}"
    with pytest.raises(ThaiInputError) as future:
        v.date(as_text)
    assert future.value.code == "future"
    assert v.date(f"{today.day}/{today.month}/{today.year + 543}") == today
    assert v.date(as_text, not_future=False) == tomorrow
    assert v.date(as_text, today=tomorrow) == tomorrow


def test_parse_takes_the_full_path_for_a_row_with_problems():
    kind = KINDS["contributions"]
    good = kind.parser()(3, {"member_number": "0101", "receipt_number": "65/1", "date": "1/10/2565",
                          "amount": "30"}, _NO_FORMULAS)
    assert good.ok and good.values == {"fund_code": None, "member_number": "0101", "receipt_number": "65/1",
                                       "date": datetime.date(2022, 10, 1), "amount": Decimal("30.00")}
    bad = kind.parser()(4, {"member_number": " ", "receipt_number": "65/2", "date": "31/02/2565", "amount": "x"},
                     _NO_FORMULAS)
    assert [(p.column, p.code) for p in bad.problems] == [
        ("member_number", "required"), ("date", "impossible_day"), ("amount", "invalid")]
    assert bad.values["receipt_number"] == "65/2" and bad.values["date"] is None


def test_a_parser_reads_each_distinct_text_of_a_repeating_column_once(monkeypatch):
    from chumchon.dataio.kinds import base

    kind = KINDS["contributions"]
    calls = []

    def counted(reader):
        def read(value):
            calls.append(value)
            return reader(value)
        return read

    columns = [base.Column(c.key, c.th, c.en, counted(c.reader), c.required, repeats=c.repeats)
               for c in kind.columns]
    monkeypatch.setattr(kind, "columns", columns)
    parse = kind.parser()
    rows = [parse(n, {"member_number": "0101", "receipt_number": f"65/{n}", "date": "1/10/2565",
                      "amount": "30"}, _NO_FORMULAS) for n in range(3, 6)]
    assert [r.values["receipt_number"] for r in rows] == ["65/3", "65/4", "65/5"]
    assert all(r.ok and r.values["date"] == datetime.date(2022, 10, 1) and r.values["amount"] == Decimal("30.00")
               for r in rows)
    # The member, the date and the amount read once; every receipt number (not marked ``repeats``) each time.
    assert sorted(calls) == sorted(["0101", "1/10/2565", "30", "65/3", "65/4", "65/5"])
    # A text that cannot be read is never remembered: each row holding it gets its own problem.
    bad = [parse(n, {"member_number": "0101", "receipt_number": f"65/{n}", "date": "31/02/2565", "amount": "30"},
                 _NO_FORMULAS) for n in (6, 7)]
    assert [[(p.row, p.column, p.code) for p in r.problems] for r in bad] == [
        [(6, "date", "impossible_day")], [(7, "date", "impossible_day")]]
    # What a parser remembers is bounded.
    monkeypatch.setattr(base, "MEMO_KEPT", 2)
    parse, calls[:] = kind.parser(), []
    for n, member in enumerate(["1", "2", "3", "3", "1"]):
        assert parse(n, {"member_number": member, "receipt_number": f"r{n}", "date": "1/10/2565", "amount": "30"},
                     _NO_FORMULAS).values["member_number"] == member
    assert [c for c in calls if c in ("1", "2", "3")] == ["1", "2", "3", "3"]  # "3" came after the memo was full


@pytest.mark.parametrize(("cell", "baht"), [(10.1 + 20.2, "30.30"), (0.1 * 3, "0.30"), (365 * 1.1, "401.50"),
                                            (12.1, "12.10"), (123456789012.35, "123456789012.35")])
def test_an_amount_a_formula_worked_out_reads_as_excel_shows_it(cell, baht):
    """Excel saves what =10.1+20.2 gives as the double 30.299999999999997 and shows 30.30: taken to 15 significant
    digits, as Excel shows it, not refused as "three decimals"."""
    assert v.amount(cell) == Decimal(baht)


@pytest.mark.parametrize("cell", [12.345, "12.345", "30.299999999999997"])
def test_three_decimals_typed_are_still_refused(cell):
    with pytest.raises(ThaiInputError) as caught:
        v.amount(cell)
    assert caught.value.code == "too_many_decimals"


def test_an_amount_a_formula_worked_out_in_an_xlsx_file(tmp_path):
    """Through the reader: the cell as Excel saves it, a formula with its value at full precision (openpyxl
    itself would write 30.3, so the sheet's XML is edited)."""
    import zipfile

    from openpyxl import Workbook

    from chumchon.dataio.readers import open_table

    kind = KINDS["contributions"]
    book = Workbook()
    book.active.append(["เลขที่ใบเสร็จ", "เลขที่สมาชิก", "วันที่จ่าย", "จำนวนเงิน"])
    book.active.append(["65/001", "0101", "15/11/2565", 30.3])
    book.save(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as plain, zipfile.ZipFile(tmp_path / "excel.xlsx", "w") as excel:
        for item in plain.infolist():
            data = plain.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="D2" t="n"><v>30.3</v></c>',
                                    b'<c r="D2"><f>10.1+20.2</f><v>30.299999999999997</v></c>')
                assert b"30.299999999999997" in data
            excel.writestr(item, data)
    table = open_table(tmp_path / "excel.xlsx", kind.aliases(), kind.required(True))
    parse = kind.parser(present=table.columns.values())
    [row] = [parse(n, raw, bare) for n, raw, bare in table.rows]
    assert row.ok, row.problems
    assert row.values["amount"] == Decimal("30.30")


def test_a_cell_longer_than_its_column_is_a_problem_on_every_row_that_holds_it():
    """The parser's fast path and its memo of repeating texts let no overlong cell through: each row holding one
    gets its own problem (a value read once is remembered only when it fits)."""
    kind = KINDS["contributions"]
    parse = kind.parser()
    member = "0101-" + "x" * 16  # 21 characters; member numbers are remembered (``repeats``)
    rows = [parse(n, {"member_number": member, "receipt_number": f"65/{n}", "date": "1/10/2565", "amount": "30"},
                  _NO_FORMULAS) for n in (3, 4)]
    assert [[(p.column, p.code, p.th, p.en) for p in r.problems] for r in rows] == [
        [("member_number", "too_long", "เลขที่สมาชิก ยาวเกิน 20 ตัวอักษร: มี 21 ตัวอักษร",
          "member_number is longer than 20 characters: it has 21")]] * 2
    assert rows[0].values["member_number"] is None and rows[0].values["receipt_number"] == "65/3"
    # Exactly as long as the column is fine; the length is the value read (spaces in a code do not count).
    fits = parse(5, {"member_number": "0101", "receipt_number": "2565/" + "๑" * 10 + " 00000", "date": "1/10/2565",
                     "amount": "30"}, _NO_FORMULAS)
    assert fits.ok and fits.values["receipt_number"] == "2565/" + "1" * 10 + "00000"
