"""Importing a province's list of councils: new ones entered, known ones corrected or left as they are, every
mistake named, and the export reads back in."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chumchon.councils import services as council_services
from chumchon.councils.models import Council
from chumchon.dataio import exports
from chumchon.dataio.models import ImportJob

from .conftest import problems, write

pytestmark = pytest.mark.django_db
DONE = ImportJob.Status.DONE
HEADER = "รหัสสภา,ชื่อสภา,รหัสตำบล,ประเภท,วันที่จัดตั้ง,เลขที่จดแจ้งจัดตั้ง,วันที่จดแจ้งจัดตั้ง"
GOOD = [
    "SC-500203,สภาองค์กรชุมชนตำบลสันผักหวาน,500203,ตำบล,15/06/2552,50/2552,20/06/2552",
    "SC-400101,สภาองค์กรชุมชนเมืองขอนแก่น,400101,เมือง,2010-01-05,,",
]


def _run(run_import, tmp_path, name, rows, **kw):
    return run_import("councils", write(tmp_path, name, HEADER, rows), fund=False, **kw)


def test_councils_come_in_and_again_change_nothing(run_import, world, tmp_path):
    job = _run(run_import, tmp_path, "c.csv", GOOD)
    assert (job.status, job.rows_written) == (DONE, 2), [(p.row, p.message_en) for p in job.problems.all()]
    a = Council.objects.select_related("organisation").get(organisation__code="SC-500203")
    assert (a.organisation.name_th, a.organisation.subdistrict_id, a.kind) == (
        "สภาองค์กรชุมชนตำบลสันผักหวาน", "500203", "tambon")
    assert (a.founded_on, a.registration_number, a.registered_on) == (
        datetime.date(2009, 6, 15), "50/2552", datetime.date(2009, 6, 20))
    assert Council.objects.get(organisation__code="SC-400101").kind == "city"
    again = _run(run_import, tmp_path, "c.csv", GOOD)
    assert (again.rows_written, again.rows_updated, again.rows_unchanged) == (0, 0, 2)
    assert (again.checked_new, again.checked_updated, again.checked_unchanged) == (0, 0, 2)  # said by the check
    renamed = _run(run_import, tmp_path, "c2.csv", [GOOD[0].replace("สันผักหวาน", "สันผักหวานใหม่"), GOOD[1]])
    assert (renamed.rows_updated, renamed.rows_unchanged) == (1, 1)
    assert (renamed.checked_new, renamed.checked_updated, renamed.checked_unchanged) == (0, 1, 1)
    assert list(renamed.changes.values_list("row", "old", "new")) == [
        (2, "สภาองค์กรชุมชนตำบลสันผักหวาน", "สภาองค์กรชุมชนตำบลสันผักหวานใหม่")]
    a.refresh_from_db()
    assert a.organisation.name_th == "สภาองค์กรชุมชนตำบลสันผักหวานใหม่"


def test_mistakes_are_named(run_import, world, tmp_path):
    _run(run_import, tmp_path, "first.csv", GOOD[:1])
    council = Council.objects.get(organisation__code="SC-500203")
    council_services.member_seat(actor=world["users"]["admin"], council=council, name="นายสมชาย ใจดี",
                                 term_start=datetime.date(2012, 1, 1))
    job = _run(run_import, tmp_path, "bad.csv", [
        "SC-1,สภา ก,999999,ตำบล,01/01/2555,,",                 # 2 unknown subdistrict
        "A-001,สภา ข,500203,ตำบล,01/01/2555,,",                 # 3 a fund's code
        "SC-2,สภา ค,500203,ชุมชน,01/01/2555,,",                 # 4 unknown kind
        "SC-3,สภา ง,500203,ตำบล,01/01/2555,1/2554,01/01/2554",  # 5 registered before founding
        "SC-4,สภา จ,500203,,01/01/2555,,",
        "SC-4,สภา ฉ,500203,,01/01/2555,,",                     # 7 code twice
        "SC-500203,สภาองค์กรชุมชนตำบลสันผักหวาน,500203,ตำบล,15/06/2556,50/2552,20/06/2556",  # 8 after its records
        "SC-500203,สภาองค์กรชุมชนตำบลสันผักหวาน,400101,ตำบล,15/06/2552,,",                # 9 code elsewhere
    ])
    moved = _run(run_import, tmp_path, "moved.csv", [
        "SC-500203,สภาองค์กรชุมชนตำบลสันผักหวาน,500203,ตำบล,01/01/2553,,"])  # registered 2552, before this
    assert problems(moved) == [(2, "before_founding")]
    assert problems(job) == [(2, "unknown_subdistrict"), (3, "code_taken"), (4, "kind"), (5, "before_founding"),
                             (7, "duplicate_in_file"), (8, "after_records"), (9, "duplicate_in_file")]
    assert job.rows_written == 0 and Council.objects.count() == 1


def test_only_where_the_user_may_record(run_import, world, tmp_path):
    officer = world["users"]["council_a"]  # council officer of subdistrict 500203 only
    job = _run(run_import, tmp_path, "c.csv", GOOD, actor=officer, mode=ImportJob.Mode.VALID_ROWS)
    assert problems(job) == [(3, "forbidden")]
    assert list(Council.objects.values_list("organisation__code", flat=True)) == ["SC-500203"]


def test_the_export_reads_back_in_unchanged(run_import, world, system_user, tmp_path):
    _run(run_import, tmp_path, "c.csv", GOOD)
    data, name = exports.export_file(actor=system_user, kind="councils", fmt="xlsx")
    path = tmp_path / name
    path.write_bytes(data)
    job = run_import("councils", path, fund=False)
    assert (job.status, job.rows_written, job.rows_updated, job.rows_unchanged) == (DONE, 0, 0, 2), job.message


def test_council_update_keeps_the_founding_before_the_records(world, councils):
    admin = world["users"]["admin"]
    council_services.member_seat(actor=admin, council=councils["a"], name="นายสมชาย ใจดี",
                                 term_start=datetime.date(2012, 1, 1))
    with pytest.raises(ValidationError) as refused:
        council_services.council_update(actor=admin, council=councils["a"], founded_on=datetime.date(2013, 1, 1))
    assert "founded_on" in refused.value.message_dict
    updated = council_services.council_update(actor=admin, council=councils["a"], founded_on=datetime.date(2011, 1, 1),
                                              name_th="สภาองค์กรชุมชนตำบล A ใหม่")
    assert (updated.founded_on, updated.organisation.name_th) == (datetime.date(2011, 1, 1), "สภาองค์กรชุมชนตำบล A ใหม่")
    with pytest.raises(PermissionDenied):
        council_services.council_update(actor=world["users"]["committee_b"], council=councils["a"], kind="city")
