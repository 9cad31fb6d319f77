"""In a real browser (Debian's chromium via Playwright), the demo fund's treasurer brings records in and takes
them out: downloads a template, uploads a members file, watches the check and the import progress (htmx polling
against the background worker), confirms, uploads a contributions file with mistakes, reads the report on the page
and downloads it as xlsx with the problem cells highlighted, exports the members with a purpose, and exports the
list of funds it sees from the list page itself.

Elements are found by ids, names and URLs, not by interface text. Screenshots go to $CHUMCHON_SCREENSHOTS when it
is set (import-*.png).
"""

import csv
import io
from pathlib import Path

import pytest

from chumchon.core.thai.national_id import make_valid

from .test_welfare_journey import CODE, WIDTH, Phone, _be, _today

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make install)"),
]
NEW_MEMBERS = [("9901", make_valid("398765432101"), "นายทดสอบ", "นำเข้าหนึ่ง"),
               ("9902", make_valid("398765432102"), "นางสาวทดลอง", "นำเข้าสอง")]


def _members_csv(folder: Path) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["เลขที่สมาชิก", "เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "วันที่สมัคร", "หมู่ที่"])
    for number, nid, first, last in NEW_MEMBERS:
        writer.writerow([number, nid, first, last, _be(_fiscal_year_start()), "4"])
    path = folder / "new-members.csv"
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path


def _fiscal_year_start():
    """The first day of the running fiscal year (the demo closes the years before it)."""
    today = _today()
    return today.replace(month=10, day=1) if today.month >= 10 else today.replace(year=today.year - 1, month=10,
                                                                                     day=1)


def _bad_contributions(folder: Path) -> Path:
    path = folder / "contributions-with-mistakes.csv"
    day = _be(_today())
    path.write_text("เลขที่ใบเสร็จ,เลขที่สมาชิก,วันที่จ่าย,จำนวนเงิน\n"
                    f"IMP-001,9901,{day},365\n"
                    f"IMP-002,7777,{day},365\n"  # no such member
                    f"IMP-003,9902,{day},สามร้อย\n", encoding="utf-8-sig")  # text in the amount
    return path


def _upload(phone: Phone, kind: str, path: Path) -> None:
    phone.go("/data/imports/new/")
    phone.page.select_option("#id_kind", kind)
    value = phone.page.locator("#id_fund option", has_text=CODE).first.get_attribute("value")
    phone.page.select_option("#id_fund", value)
    phone.page.set_input_files("#id_file", str(path))
    phone.submit()
    assert "/data/imports/" in phone.page.url and phone.page.url.rstrip("/").split("/")[-1].isdigit()


def _wait_for(phone: Phone, status: str) -> None:
    phone.page.locator(f'#progress [data-status="{status}"]').wait_for(timeout=90_000)
    phone.ok()


def test_template_import_report_confirm_progress_export(demo_server, browser, shot, tmp_path):
    phone = Phone(browser, demo_server)
    phone.login("treasurer")

    phone.go("/data/imports/")
    template = phone.context.request.get(demo_server + "/data/templates/memberships.xlsx")
    assert template.status == 200 and template.body()[:2] == b"PK"
    from openpyxl import load_workbook

    heads = [c.value for c in next(load_workbook(io.BytesIO(template.body())).active.iter_rows(max_row=1))]
    assert "เลขประจำตัวประชาชน" in heads and "เลขที่สมาชิก" in heads

    _upload(phone, "memberships", _members_csv(tmp_path))
    _wait_for(phone, "checked")
    assert phone.page.locator("#outcome").is_visible()  # what the two rows would do, before confirming
    shot(phone.page, "import-1-checked.png", full_page=True)
    phone.submit('form[action$="/confirm/"] button[type=submit]')
    _wait_for(phone, "done")
    facts = phone.page.locator("#progress dd").all_inner_texts()
    assert facts[:4] == ["2", "2", "0", "2"], facts  # read, valid, with problems, written
    shot(phone.page, "import-2-done.png", full_page=True)
    assert phone.page.locator("#next-steps a").count() >= 2  # the fund's members, the contribution history next

    # The register changed a surname: the check says so cell by cell before anything is written.
    renamed = tmp_path / "renamed-members.csv"
    renamed.write_text(_members_csv(tmp_path).read_text("utf-8-sig").replace("นำเข้าหนึ่ง", "นำเข้าหนึ่งใหม่"),
                       encoding="utf-8-sig")
    _upload(phone, "memberships", renamed)
    _wait_for(phone, "checked")
    changes = phone.page.locator("#change-list tbody tr").all_inner_texts()
    assert len(changes) == 1 and "นำเข้าหนึ่ง" in changes[0] and "นำเข้าหนึ่งใหม่" in changes[0], changes
    phone.fits()
    shot(phone.page, "import-5-changes.png", full_page=True)
    phone.submit('form[action$="/confirm/"] button[type=submit]')
    _wait_for(phone, "done")

    _upload(phone, "contributions", _bad_contributions(tmp_path))
    _wait_for(phone, "checked")
    problems = phone.page.locator("#problems tbody tr").all_inner_texts()
    assert len(problems) == 2 and problems[0].startswith("3") and problems[1].startswith("4"), problems
    assert "7777" in problems[0] and "สามร้อย" in problems[1]
    # On the phone each problem is read whole where it stands: no cell of the report reaches past the screen.
    edges = phone.page.locator("#problems tbody td").evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect().right)")
    assert edges and max(edges) <= WIDTH, edges
    phone.fits()
    shot(phone.page, "import-3-problems.png", full_page=True)
    with phone.page.expect_download() as download:
        phone.page.locator('a[href$="/report.xlsx"]').click()
    report = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = report["แถวที่มีปัญหา (rows)"]
    filled = [c.coordinate for row in rows.iter_rows(min_row=2) for c in row if c.fill.fgColor.rgb.endswith("F8C9C4")]
    assert len(filled) == 2, filled  # the member number of row 3 and the amount of row 4
    # All or nothing (the default): nothing can be confirmed while rows have problems; valid rows only can.
    phone.submit('form[action$="/confirm/"] button[type=submit]')
    _wait_for(phone, "done")
    assert phone.page.locator("#progress dd").all_inner_texts()[3] == "1"

    phone.go(f"/funds/{CODE}/")
    phone.page.locator('a[href*="/data/export/?kind=memberships"]').click()
    phone.ok()
    phone.page.fill("#id_purpose", "ตรวจรายชื่อที่นำเข้า")
    phone.page.check('input[name="format"][value="csv"]')
    with phone.page.expect_download() as download:
        phone.submit()
    text = Path(download.value.path()).read_text("utf-8-sig")
    assert all(nid in text for _, nid, _, _ in NEW_MEMBERS)
    shot(phone.page, "import-4-export.png", full_page=True)

    # Every list page exports what it shows: the treasurer's list of funds, as xlsx, is the one fund.
    phone.go("/funds/")
    with phone.page.expect_download() as download:
        phone.page.locator('form.list-export button[value="xlsx"]').click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)] == [CODE]
    phone.close()
