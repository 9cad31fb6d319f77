"""Workbooks: a sheet's name is one Excel accepts, cut where a reader expects."""

import pytest


@pytest.mark.parametrize(("text", "title"), [
    ("งบรายได้และค่าใช้จ่าย จำแนกตามแหล่งเงิน", "งบรายได้และค่าใช้จ่าย"),  # cut after a whole word, not mid-word
    ("งบทดลอง", "งบทดลอง"),
    ("รายงาน: ปี 2565/2566 [ร่าง]", "รายงาน ปี 2565 2566 ร่าง"),  # what Excel refuses in a sheet's name
    ("ก" * 40, "ก" * 31),  # one long word: cut at Excel's 31
])
def test_a_sheet_name_is_what_excel_accepts_and_reads_whole(text, title):
    from chumchon.core.xlsx import sheet_title

    assert sheet_title(text) == title and len(title) <= 31
