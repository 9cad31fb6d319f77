"""An import never shows the importer a person they may not see.

Given a person of fund B (Khon Kaen) and fund A's treasurer (Chiang Mai), when the treasurer's file carries that
person's national ID with made-up details, then the check neither compares nor keeps the real details (no change
rows, nothing in the report), a people file refuses the row without naming anything of the person, a members file
does not name the other fund, and the person's record is unchanged. A national import (system) still sees and
updates everyone.
"""

import pytest

from chumchon.dataio.models import ImportChange, ImportJob

from .conftest import problems, write

pytestmark = pytest.mark.django_db


def _b_person(world):
    person = world["b_people"][0]
    return person, person.personal_data.national_id


PEOPLE = "เลขประจำตัวประชาชน,ชื่อ,นามสกุล,รหัสตำบล"
MEMBERS = "เลขที่สมาชิก,เลขประจำตัวประชาชน,ชื่อ,นามสกุล,วันที่สมัคร"


def _as_treasurer_a(world, run_import, tmp_path, kind, header, row):
    """Fund A's treasurer imports one row of made-up details under someone's real national ID."""
    path = write(tmp_path, f"{kind}.csv", header, [row])
    return run_import(kind, path, actor=world["users"]["committee_a"])


def _texts(job) -> str:
    rows = list(job.problems.values_list("message_th", "message_en", "value"))
    rows += list(ImportChange.objects.filter(job=job).values_list("column", "old", "new"))
    return " ".join(str(part) for row in rows for part in row)


def test_a_people_file_refuses_someone_outside_the_importers_scope(world, run_import, tmp_path):
    person, nid = _b_person(world)
    job = _as_treasurer_a(world, run_import, tmp_path, "people", PEOPLE, f"{nid},นายแต่งขึ้น,ไม่มีจริง,500203")
    assert problems(job) == [(2, "outside_scope")]
    assert not ImportChange.objects.filter(job=job).exists()
    texts = _texts(job)
    assert person.first_name not in texts and person.last_name not in texts and "B-001" not in texts
    person.refresh_from_db()
    assert person.last_name != "ไม่มีจริง"


def test_a_members_file_does_not_name_the_other_fund_nor_show_the_person(world, run_import, tmp_path):
    person, nid = _b_person(world)
    job = _as_treasurer_a(world, run_import, tmp_path, "memberships", MEMBERS,
                          f"0901,{nid},นายแต่งขึ้น,ไม่มีจริง,01/10/2565")
    assert problems(job) == [(2, "member_elsewhere")]
    problem = job.problems.get()
    assert "กองทุนอื่น" in problem.message_th and "another fund" in problem.message_en
    texts = _texts(job)
    assert "B-001" not in texts and person.first_name not in texts


def test_a_person_who_left_another_fund_may_join_without_their_details_shown_or_changed(world, run_import,
                                                                                         tmp_path, system_user):
    import datetime

    from chumchon.welfare import services as welfare

    person, nid = _b_person(world)
    welfare.membership_end(actor=system_user, membership=person.memberships.get(), status="transferred",
                           on=datetime.date(2022, 9, 30))
    job = _as_treasurer_a(world, run_import, tmp_path, "memberships", MEMBERS,
                          f"0902,{nid},นายแต่งขึ้น,ไม่มีจริง,01/10/2565")
    assert job.status == ImportJob.Status.DONE, problems(job)
    assert not ImportChange.objects.filter(job=job).exists()
    person.refresh_from_db()
    assert person.last_name != "ไม่มีจริง"  # joined fund A; details as they were
    assert person.memberships.filter(fund=world["fund_a"], member_number="0902").exists()


def test_a_national_import_still_updates_anyone(world, run_import, tmp_path):
    person, nid = _b_person(world)
    job = run_import("people", write(tmp_path, "people.csv", PEOPLE, [f"{nid},{person.first_name},สกุลใหม่,400101"]),
                     fund=False)
    assert job.status == ImportJob.Status.DONE, problems(job)
    person.refresh_from_db()
    assert person.last_name == "สกุลใหม่"


def test_the_provincial_secretariat_imports_members_into_a_fund_of_its_province(world, fund, run_import):
    """An area role's import writes its people in bulk: the batch is checked against its province (50)."""
    job = run_import("memberships", "members_good.xlsx", actor=world["users"]["province_a"])
    assert job.status == ImportJob.Status.DONE and job.rows_valid == 5, job.message


def test_a_members_file_joins_a_person_only_after_the_earlier_membership_ended(world, run_import, tmp_path,
                                                                                system_user):
    """The person left fund B on 10 Oct 2565 (transferred). A national members file joining them to fund A on
    1 Sep 2565 is refused on วันที่สมัคร (they would be a member of both funds in between); from 10 Oct 2565 it
    is taken."""
    import datetime

    from chumchon.welfare import services as welfare
    from chumchon.welfare.models import Membership

    person, nid = _b_person(world)
    welfare.membership_end(actor=system_user, membership=Membership.objects.get(person=person), status="transferred",
                           on=datetime.date(2022, 10, 10), system=True)
    early = write(tmp_path, "early.csv", MEMBERS, [f"0901,{nid},{person.first_name},{person.last_name},01/09/2565"])
    job = run_import("memberships", early)
    assert problems(job) == [(2, "joined_before_left")]
    assert job.problems.get().column == "วันที่สมัคร"
    on_time = write(tmp_path, "on_time.csv", MEMBERS, [f"0901,{nid},{person.first_name},{person.last_name},10/10/2565"])
    assert run_import("memberships", on_time).status == ImportJob.Status.DONE
