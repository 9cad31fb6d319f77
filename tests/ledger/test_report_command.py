"""`chumchon report`: statements from the command line, and clear Thai (English) errors."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chumchon.ledger import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund_year(book, post, system_user):
    """A small closed FY 2565: capital 5,000, contributions 900, a funeral benefit 3,000."""
    post("2021-10-01", "ยอดยกมา", [("1101", 5000, 0), ("3101", 0, 5000)])
    post("2021-10-15", "เงินสมทบสมาชิก", [("1101", 900, 0), ("4101", 0, 900)])
    post("2022-01-20", "สวัสดิการเสียชีวิต", [("5105", 3000, 0), ("1101", 0, 3000)])
    services.period_close(actor=system_user, book=book, fiscal_year=2565)
    return book


def report(*args) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_trial_balance_as_json_on_stdout(fund_year):
    data = json.loads(report("trial-balance", "--book", "A-001", "--fiscal-year", "2565"))
    assert data["statement"] == "trial-balance" and data["scope"]["code"] == "A-001"
    assert data["totals"]["debit"] == data["totals"]["credit"] == "11900.00"  # 8,900 posted + 3,000 closing
    assert data["period"]["label_th"] == "ปีงบประมาณ 2565 (1 ต.ค. 2564 – 30 ก.ย. 2565)"


def test_income_expenditure_as_csv_on_stdout(fund_year):
    text = report("income-expenditure", "--book", "A-001", "--fiscal-year", "2565", "--format", "csv")
    assert text.startswith("\ufeff")
    assert "4101,เงินสมทบจากสมาชิก (วันละบาท),900.00" in text and "-2100.00" in text


def test_xlsx_and_pdf_go_to_a_file(fund_year, tmp_path):
    from openpyxl import load_workbook

    xlsx = tmp_path / "fp.xlsx"
    report("financial-position", "--book", "A-001", "--fiscal-year", "2565", "--format", "xlsx", "--output", str(xlsx))
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert ("", "รวมสินทรัพย์", 2900) in [(r[0] or "", r[1], r[2]) for r in rows]
    pdf = tmp_path / "cash.pdf"
    report("cash-book", "--book", "A-001", "--fiscal-year", "2565", "--format", "pdf", "--output", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_general_ledger_with_thai_dates(fund_year):
    data = json.loads(report("general-ledger", "--book", "A-001", "--account", "1101", "--from", "1/10/2564",
                             "--to", "31 ม.ค. 2565"))
    assert data["period"]["start"] == "2021-10-01" and data["period"]["end"] == "2022-01-31"
    assert [line["balance"] for line in data["lines"]] == ["5000.00", "5900.00", "2900.00"]


@pytest.mark.parametrize("area, name_th", [
    ("50", "จังหวัดเชียงใหม่"),
    ("5002", "อำเภอจอมทอง จังหวัดเชียงใหม่"),
    ("500203", "ตำบลบ้านหลวง อำเภอจอมทอง จังหวัดเชียงใหม่"),
    ("region:north", "ภาคเหนือ"),
    ("nation", "ทั่วประเทศ"),
])
def test_areas(fund_year, area, name_th):
    data = json.loads(report("changes-in-fund-balance", "--area", area, "--fiscal-year", "2565"))
    assert data["scope"]["name_th"] == name_th
    assert data["totals"]["closing"] == "2900.00"


def test_area_without_books_gives_an_empty_statement(fund_year):
    data = json.loads(report("trial-balance", "--area", "10", "--fiscal-year", "2565"))
    assert data["rows"] == [] and data["balanced"] is True


@pytest.mark.parametrize("args, th, en", [
    (["trial-balance", "--book", "NOPE", "--fiscal-year", "2565"], "ไม่พบสมุดบัญชี", "no book"),
    (["trial-balance", "--area", "99", "--fiscal-year", "2565"], "ไม่พบพื้นที่", "no province"),
    (["trial-balance", "--area", "region:atlantis", "--fiscal-year", "2565"], "ไม่พบภาค", "no region"),
    (["trial-balance", "--area", "Chiang Mai", "--fiscal-year", "2565"], "อ่านรหัสพื้นที่", "cannot read the area"),
    (["trial-balance", "--book", "A-001", "--fiscal-year", "2565", "--format", "docx"], "ไม่รู้จักรูปแบบไฟล์",
     "unknown format"),
    (["balance-sheet", "--book", "A-001", "--fiscal-year", "2565"], "ไม่รู้จักรายงาน", "unknown statement"),
    (["trial-balance", "--fiscal-year", "2565"], "ระบุ --book หรือ --area", "either --book or --area"),
    (["trial-balance", "--book", "A-001", "--area", "50", "--fiscal-year", "2565"], "อย่างใดอย่างหนึ่ง", "either"),
    (["trial-balance", "--book", "A-001"], "ต้องระบุ --fiscal-year", "give --fiscal-year"),
    (["trial-balance", "--book", "A-001", "--fiscal-year", "2565", "--from", "1/10/2564"], "อย่างใดอย่างหนึ่ง",
     "not both"),
    (["trial-balance", "--book", "A-001", "--fiscal-year", "20x5"], "ปีงบประมาณ", "fiscal year"),
    (["trial-balance", "--book", "A-001", "--from", "31/10/2564", "--to", "1/10/2564"], "วันเริ่มต้น", "start date"),
    (["general-ledger", "--book", "A-001", "--fiscal-year", "2565"], "--account", "needs --account"),
    (["general-ledger", "--book", "A-001", "--fiscal-year", "2565", "--account", "9999"], "ไม่พบบัญชี",
     "no account"),
    (["trial-balance", "--book", "A-001", "--fiscal-year", "2565", "--format", "pdf"], "--output", "needs --output"),
])
def test_errors_are_clear_in_thai_and_english(fund_year, args, th, en):
    with pytest.raises(CommandError) as exc:
        report(*args)
    assert th in str(exc.value) and en in str(exc.value)


def test_too_long_a_pdf_is_a_clear_error(fund_year, tmp_path, monkeypatch):
    from chumchon.ledger import exports

    monkeypatch.setattr(exports, "MAX_PDF_LINES", 2)
    with pytest.raises(CommandError, match="xlsx"):
        report("cash-book", "--book", "A-001", "--fiscal-year", "2565", "--format", "pdf", "--output",
               str(tmp_path / "x.pdf"))


def test_exit_codes(tmp_path):
    """Run as the console script does: 0 with the help, 1 with a CommandError on standard error."""
    env = {**os.environ, "CHUMCHON_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "chumchon.config.settings"}
    src = Path(__file__).resolve().parents[2] / "src"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH", "")]))
    ok = subprocess.run([sys.executable, "-m", "chumchon", "report", "--help"], capture_output=True, text=True,
                        env=env, timeout=60)
    assert ok.returncode == 0 and "--fiscal-year" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "chumchon", "report", "trial-balance", "--book", "A-001",
                          "--fiscal-year", "2565", "--format", "docx"], capture_output=True, text=True, env=env,
                         timeout=60)
    assert bad.returncode == 1
    assert "ไม่รู้จักรูปแบบไฟล์" in bad.stderr and "unknown format" in bad.stderr
