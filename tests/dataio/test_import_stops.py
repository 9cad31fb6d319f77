"""An import never shows "running" for ever.

Given files and importers that stopped the check or the write in the background worker before (a date that
cannot be read in a file of organisations or councils, a refusal of the importer's rights, a fault), when they are
checked and written, then an unreadable date is a problem of its row like any other, and anything else that stops
the run ends the job as failed with a message in Thai and English saying what was imported (nothing, or up to
which row).
"""

import pytest
from django.core.exceptions import PermissionDenied

from chumchon.dataio import services
from chumchon.dataio.kinds import KINDS
from chumchon.dataio.models import ImportJob

from .conftest import problems, write

pytestmark = pytest.mark.django_db


def test_a_month_first_date_is_a_problem_of_its_row(world, councils, run_import, tmp_path):
    path = write(tmp_path, "orgs.csv", "รหัสสภา,เลขที่จดแจ้ง,ชื่อองค์กร,ประเภทองค์กร,วันที่จดแจ้ง",
                 ["CC-500203,077,กลุ่มทดสอบ,กลุ่มออมทรัพย์,01/13/2569"])
    job = run_import("organisations", path, fund=False, actor=world["users"]["council_a"])
    assert job.status == ImportJob.Status.CHECKED
    assert problems(job) == [(2, "month_out_of_range")]


def test_an_unreadable_founding_date_of_a_council_is_a_problem_of_its_row(world, run_import, tmp_path):
    path = write(tmp_path, "councils.csv", "รหัสสภา,ชื่อสภา,รหัสตำบล,วันที่จัดตั้ง,วันที่จดแจ้งจัดตั้ง",
                 ["CC-500203,สภาทดสอบ,500203,01/13/2555,01/02/2556"])
    job = run_import("councils", path, fund=False)
    assert job.status == ImportJob.Status.CHECKED
    assert problems(job) == [(2, "month_out_of_range")]


def test_a_check_stopped_by_a_refusal_fails_and_says_so(world, run_import, monkeypatch):
    def refuse(ctx, rows):
        raise PermissionDenied("ไม่มีสิทธิ์บันทึกรายการของกองทุนนี้ (not allowed to record for this fund)")

    monkeypatch.setattr(KINDS["memberships"], "check", refuse)
    job = run_import("memberships", "members_good.xlsx", actor=world["users"]["committee_a"])
    assert job.status == ImportJob.Status.FAILED
    assert "ไม่มีสิทธิ์" in job.message and "nothing was imported" in job.message


def test_a_write_stopped_by_a_fault_keeps_its_whole_batches_and_says_up_to_where(world, run_import, monkeypatch):
    job = services.job_confirm(actor=None, job=run_import("memberships", "members_good.xlsx", write=False))
    def fault(ctx, rows):
        raise RuntimeError("boom")

    monkeypatch.setattr(KINDS["memberships"], "write", fault)
    job = services.job_write(job, system=True)
    assert job.status == ImportJob.Status.FAILED
    assert "RuntimeError" in job.message and "imported up to row 0" in job.message
    assert not world["fund_a"].memberships.filter(member_number__startswith="01").exists()
