"""People, and people with their membership of a fund (the member list a fund keeps in Excel).

Natural keys: a person is their national ID; a membership is fund + member number (a member without a national ID
is known by it alone). Importing the same file again
changes nothing; a file with a changed name, house or village updates the person and says so; a member number
already held by somebody else in the fund, or a national ID that is an active member of another fund, is refused.
"""

from dataclasses import replace

from django.db import transaction
from django.db.models import Max

from chumchon.access.roles import Action
from chumchon.access.scoping import restrict
from chumchon.core.thai.dates import format_date
from chumchon.dataio import values as v
from chumchon.dataio.kinds.base import Column, Context, Counts, Kind, Row, field_length, outcome_of
from chumchon.geo.models import Subdistrict
from chumchon.people import services as people_services
from chumchon.people.models import Person, PersonalData, Sex, sex_from_title
from chumchon.welfare import services as welfare_services
from chumchon.welfare.models import Fund, Membership

PERSON_FIELDS = ("title", "first_name", "last_name", "birth_date", "sex", "house_number", "village_number")


def _village(value) -> int:
    return v.integer(value, low=1, high=99)


def _birth(value):
    return v.date(value)


PERSON_COLUMNS = [
    Column("national_id", "เลขประจำตัวประชาชน", "national_id", v.nid, required=True, example="1-1012-00005-12-1",
           help_th="13 หลัก มีขีดหรือเว้นวรรคได้", help_en="13 digits; dashes or spaces allowed",
           aliases=("เลขบัตรประชาชน", "เลขบัตร", "citizen id", "id card"),
           missing_th="คนที่ไม่มีเลขนำเข้าได้ด้วยไฟล์สมาชิกกองทุน ซึ่งใช้เลขที่สมาชิกระบุตัว",
           missing_en="a person without one comes in through a fund's members file, where the member number "
                      "identifies them"),
    Column("title", "คำนำหน้า", "title", v.title, example="นาย", aliases=("คำนำหน้าชื่อ", "prefix")),
    Column("first_name", "ชื่อ", "first_name", v.text, required=True, example="สมชาย",
           help_th="คำนำหน้าติดชื่อได้ เช่น นายสมชาย", help_en="a title joined to the name is split off",
           aliases=("ชื่อจริง", "name"), max_length=field_length(Person, "first_name")),
    Column("last_name", "นามสกุล", "last_name", v.text, example="ใจดี", aliases=("surname",),
           max_length=field_length(Person, "last_name")),
    Column("birth_date", "วันเกิด", "birth_date", _birth, example="15/03/2510",
           help_th="พ.ศ. หรือ ค.ศ. เช่น 15/03/2510 หรือ 15 มี.ค. 2510", help_en="B.E. or C.E. date",
           aliases=("วันเดือนปีเกิด", "date of birth", "dob")),
    Column("sex", "เพศ", "sex", v.sex, example="ชาย", help_th="ชาย หรือ หญิง", help_en="M or F", aliases=("gender",)),
    Column("house_number", "บ้านเลขที่", "house_number", v.address, example="12/3", aliases=("เลขที่",),
           max_length=field_length(Person, "house_number")),
    Column("village_number", "หมู่ที่", "village_number", _village, example="4", aliases=("หมู่", "moo")),
    Column("subdistrict_code", "รหัสตำบล", "subdistrict_code", v.code, example="500203",
           help_th="รหัสตำบล 6 หลักของกรมการปกครอง (ไม่กรอก = ตำบลของกองทุน)",
           help_en="DOPA 6-digit subdistrict code (blank: the fund's)"),
    Column("phone", "โทรศัพท์", "phone", v.code, example="0812345678", aliases=("เบอร์โทร", "telephone"),
           max_length=field_length(PersonalData, "phone")),
]

MEMBERSHIP_COLUMNS = [
    Column("fund_code", "รหัสกองทุน", "fund_code", v.code, example="CM-500203",
           help_th="ไม่กรอกได้เมื่อเลือกกองทุนแล้ว", help_en="may be blank when a fund is chosen"),
    Column("member_number", "เลขที่สมาชิก", "member_number", v.code, required=True, example="0001",
           aliases=("เลขสมาชิก", "รหัสสมาชิก", "member no"), max_length=field_length(Membership, "member_number")),
    Column("joined_on", "วันที่สมัคร", "joined_on", v.date, required=True, example="01/10/2565",
           aliases=("วันที่เป็นสมาชิก", "วันสมัคร", "join date")),
    Column("status", "สถานะ", "status", v.membership_status, example="ปกติ",
           help_th="ปกติ ขาดสมาชิกภาพ ลาออก เสียชีวิต หรือ ย้ายออก (ไม่กรอก = ปกติ หรือคงเดิม)",
           help_en="active, lapsed, resigned, deceased or transferred (blank: active, or unchanged)",
           aliases=("สถานะสมาชิก", "membership status")),
    Column("ended_on", "วันที่สิ้นสุดสมาชิกภาพ", "ended_on", v.date, example="",
           help_th="กรอกเมื่อสถานะไม่ใช่ปกติ", help_en="required when the status is not active",
           aliases=("วันที่สิ้นสุด", "วันที่พ้นสภาพ", "end date")),
]

# A fund's member may have no national ID (the member form allows it: stateless people, newborns, migrants): in a
# members file the column may be blank, and the fund + member number is the member's key. A file of people alone
# has no other key, so there it stays required.
MEMBER_PERSON_COLUMNS = [
    replace(c, required=False, help_th="13 หลัก มีขีดหรือเว้นวรรคได้ เว้นว่างได้ถ้าสมาชิกไม่มีเลข (เลขที่สมาชิกเป็นตัวระบุ)",
            help_en="13 digits; blank for a member who has none (the member number identifies them)")
    if c.key == "national_id" else c for c in PERSON_COLUMNS]

ACTIVE = Membership.Status.ACTIVE


class People(Kind):
    name = "people"
    title_th = "บุคคล"
    title_en = "people"
    columns = PERSON_COLUMNS
    needs_fund = False
    with_membership = False
    choice_columns = {"sex": Sex, "status": Membership.Status}

    # --- checking ---------------------------------------------------------------------------------------------

    def check(self, ctx: Context, rows: list[Row]) -> None:
        ids = [r.values["national_id"] for r in rows if r.values.get("national_id")]
        existing = {pd.national_id: pd.person for pd in PersonalData.objects.select_related("person")
                    .filter(national_id__in=ids)}
        # A person the importer may not change (registered elsewhere, a member of another fund) is never shown to
        # them: no details compared, none written. The system (a national import) may change everyone.
        changeable = {p.pk for p in existing.values()} if ctx.system else set(
            restrict(Person.objects.filter(pk__in=[p.pk for p in existing.values()]), ctx.actor, Action.CHANGE)
            .values_list("pk", flat=True))
        visible_funds: set[int] | None = None
        memberships = {}
        if self.with_membership:
            memberships = {
                (m.fund_id, m.member_number): m
                for m in Membership.objects.select_related("person__personal_data").filter(
                    member_number__in=[r.values.get("member_number") for r in rows if r.values.get("member_number")])
            }
            active_elsewhere = {
                m.person_id: m for m in Membership.objects.filter(
                    person__personal_data__national_id__in=ids, status=Membership.Status.ACTIVE)
                .select_related("fund__organisation")
            }
            left_on = dict(Membership.objects.filter(person__personal_data__national_id__in=ids, ended_on__isnull=False)
                           .values("person_id").annotate(last=Max("ended_on")).values_list("person_id", "last"))
        subdistricts = ctx.state.setdefault("subdistricts", {})
        for row in rows:
            values = row.values
            first = values.get("first_name")
            if first:
                split_title, name = v.title_and_name(first)
                if split_title and not values.get("title"):
                    values["title"] = split_title
                values["first_name"] = name
            if values.get("sex") in (None, "U") and values.get("title"):
                values["sex"] = sex_from_title(values["title"])
            fund = ctx.fund_for(row) if self.with_membership else ctx.fund
            code = values.get("subdistrict_code")
            if code:
                if code not in subdistricts:
                    subdistricts[code] = Subdistrict.objects.filter(pk=code).first()
                if subdistricts[code] is None:
                    row.problem("subdistrict_code", "unknown_subdistrict", f"ไม่พบตำบลรหัส {code}",
                                f"no subdistrict with code {code}")
            elif fund is None and not self.with_membership:
                row.problem("subdistrict_code", "required", "ยังไม่ได้กรอกรหัสตำบล (ไม่ได้เลือกกองทุน)",
                            "the subdistrict code is required when no fund is chosen", value="")
            nid = values.get("national_id")
            if nid:
                earlier = ctx.seen.setdefault("nid", {}).get(nid)
                if earlier:
                    row.problem("national_id", "duplicate_in_file", f"เลขประจำตัวประชาชนซ้ำกับแถวที่ {earlier}",
                                f"the same national ID is on row {earlier}")
                else:
                    ctx.seen["nid"][nid] = row.number
            person = existing.get(nid)
            if person is not None and person.pk not in changeable:
                if not self.with_membership:
                    row.problem("national_id", "outside_scope",
                                "เลขประจำตัวประชาชนนี้มีอยู่ในระบบแล้ว นอกขอบเขตที่ท่านแก้ไขได้ จึงนำเข้าแถวนี้ไม่ได้",
                                "this national ID is already registered outside what you may change: the row "
                                "cannot be imported")
                    continue
                values["_keep_person"] = True  # may join this fund; their details stay as they are
            values["_person"] = person
            if not self.with_membership or fund is None or not values.get("member_number"):
                continue
            number = values["member_number"]
            earlier = ctx.seen.setdefault("member", {}).get((fund.pk, number))
            if earlier:
                row.problem("member_number", "duplicate_in_file", f"เลขที่สมาชิก {number} ซ้ำกับแถวที่ {earlier}",
                            f"member number {number} is also on row {earlier}")
                continue
            ctx.seen["member"][(fund.pk, number)] = row.number
            status, ended = values.get("status") or "", values.get("ended_on")
            if not self._status_ok(row, status, ended):
                continue
            held = memberships.get((fund.pk, number))
            if held is not None:
                held_nid = getattr(getattr(held.person, "personal_data", None), "national_id", None)
                if nid and held_nid != nid:
                    row.problem("member_number", "member_number_reused",
                                f"เลขที่สมาชิก {number} เป็นของ {held.person.full_name} อยู่แล้ว (คนละคนกับแถวนี้)",
                                f"member number {number} already belongs to another person ({held.person.full_name})")
                    continue
                if not self._status_change_ok(row, held, status, ended):
                    continue
                if held.paid_through is not None and values.get("joined_on") and values["joined_on"] != held.joined_on:
                    row.problem("joined_on", "joined_paid",
                                f"มีการรับเงินสมทบนับจากวันที่สมัครเดิม ({format_date(held.joined_on)}) แล้ว "
                                "แก้วันที่สมัครไม่ได้",
                                f"contributions already count from the recorded joining date ({held.joined_on}): "
                                "the joining date cannot change")
                    continue
                values["_membership"] = held
                if not nid:  # a member without a national ID in the file: the member number says who
                    values["_person"] = held.person
            elif person is not None and status in ("", ACTIVE):
                other = active_elsewhere.get(person.pk)
                if other is not None and other.fund_id != fund.pk:
                    if visible_funds is None:
                        visible_funds = set(restrict(Fund.objects.all(), ctx.actor, Action.VIEW)
                                            .values_list("pk", flat=True)) if not ctx.system else None
                    named = ctx.system or other.fund_id in visible_funds
                    where_th = f"กองทุน {other.fund.code}" if named else "กองทุนอื่น"
                    where_en = f"fund {other.fund.code}" if named else "another fund"
                    row.problem("national_id", "member_elsewhere",
                                f"บุคคลนี้เป็นสมาชิก{where_th}อยู่แล้ว (เป็นสมาชิกได้ครั้งละหนึ่งกองทุน)",
                                f"this person is already an active member of {where_en}")
                    continue
                if other is not None:
                    row.problem("national_id", "member_twice",
                                f"บุคคลนี้เป็นสมาชิกกองทุนนี้อยู่แล้ว เลขที่ {other.member_number}",
                                f"this person is already a member of this fund, number {other.member_number}")
                    continue
                left = left_on.get(person.pk)
                if left is not None and values.get("joined_on") and values["joined_on"] < left:
                    row.problem("joined_on", "joined_before_left",
                                f"วันที่สมัครอยู่ก่อนวันที่สมาชิกภาพเดิมสิ้นสุด ({format_date(left)}): "
                                "เป็นสมาชิกได้ครั้งละหนึ่งกองทุน",
                                f"the joining date is before the person's earlier membership ended ({left}): "
                                "one fund at a time")
                    continue
            joined = values.get("joined_on")
            birth = values.get("birth_date")
            if joined and birth and joined < birth:
                row.problem("joined_on", "before_birth", "วันที่สมัครอยู่ก่อนวันเกิด", "joined before being born")
            # The joining date checked is the one the membership will keep: the file's (a change refused above
            # once contributions count from the recorded one); the end, the file's or the one recorded.
            if joined and ended and ended < joined:
                row.problem("ended_on", "before_joining", "วันที่สิ้นสุดสมาชิกภาพอยู่ก่อนวันที่สมัคร",
                            "the membership ends before it began")
            elif joined and held is not None and held.ended_on and not ended and held.ended_on < joined:
                row.problem("joined_on", "before_joining",
                            f"วันที่สมัครอยู่หลังวันที่สมาชิกภาพสิ้นสุด ({format_date(held.ended_on)})",
                            f"the joining date is after the membership ended ({held.ended_on})")
            values["_fund"] = fund

    @staticmethod
    def _status_ok(row: Row, status: str, ended) -> bool:
        """A status other than active needs its end date; an end date needs such a status."""
        if status and status != ACTIVE and ended is None:
            row.problem("ended_on", "required", "สถานะนี้ต้องกรอกวันที่สิ้นสุดสมาชิกภาพ",
                        "this status needs the date the membership ended", value="")
            return False
        if ended is not None and status in ("", ACTIVE):
            row.problem("status", "ended_but_active", "มีวันที่สิ้นสุดสมาชิกภาพ แต่สถานะไม่ได้บอกว่าสิ้นสุดอย่างไร "
                        "(ลาออก เสียชีวิต ขาดสมาชิกภาพ หรือ ย้ายออก)",
                        "an end date is given but the status does not say how the membership ended")
            return False
        return True

    @staticmethod
    def _status_change_ok(row: Row, held: Membership, status: str, ended) -> bool:
        """A member already here: an active one may be ended by the file; an ended one stays as it is (the import
        does not bring members back, nor rewrite how they left)."""
        if held.status == ACTIVE or not status:
            return True
        label, when = v.thai_labels(Membership.Status).get(held.status, held.status), format_date(held.ended_on)
        if status == ACTIVE:
            row.problem("status", "membership_ended", f"สมาชิกภาพสิ้นสุดแล้ว ({label} {when}) การนำเข้าไม่คืนสถานะสมาชิก",
                        f"the membership has ended ({held.status} {held.ended_on}); an import does not reinstate it")
            return False
        if (status, ended) != (held.status, held.ended_on):
            row.problem("status", "ended_differently", f"สมาชิกภาพสิ้นสุดแล้วแบบอื่น ({label} {when})",
                        f"the membership already ended otherwise ({held.status} {held.ended_on})")
            return False
        return True

    # --- writing ----------------------------------------------------------------------------------------------

    def _person_changes(self, person: Person, values: dict) -> dict:
        changes = {}
        if values.get("_keep_person"):
            return changes
        for name in PERSON_FIELDS:
            new = values.get(name)
            if new in (None, "") or (name == "sex" and new == "U"):
                continue
            if getattr(person, name) != new:
                changes[name] = new
        return changes

    def outcome(self, values: dict) -> str:
        """New (a person, or a membership, not yet recorded), updated (the person's details, the joining date
        or how the membership ended differ) or unchanged."""
        person = values.get("_person")
        return self._outcome(values, person is not None and bool(self._person_changes(person, values)))

    def changes(self, values: dict) -> list[tuple[str, object, object]]:
        person = values.get("_person")
        found = [(name, getattr(person, name), new)
                 for name, new in self._person_changes(person, values).items()] if person is not None else []
        membership = values.get("_membership") if self.with_membership else None
        if membership is not None:
            if membership.joined_on != values["joined_on"]:
                found.append(("joined_on", membership.joined_on, values["joined_on"]))
            if self._ends(membership, values):
                found.append(("status", membership.status, values["status"]))
                if values.get("ended_on"):
                    found.append(("ended_on", membership.ended_on, values["ended_on"]))
        return found

    def _outcome(self, values: dict, person_changed: bool) -> str:
        if not self.with_membership:
            return outcome_of(values.get("_person"), person_changed)
        membership = values.get("_membership")
        return outcome_of(membership, membership is not None and (
            person_changed or membership.joined_on != values["joined_on"] or self._ends(membership, values)))

    @staticmethod
    def _ends(membership: Membership, values: dict) -> bool:
        return membership.status == ACTIVE and values.get("status") not in ("", None, ACTIVE)

    @transaction.atomic
    def write(self, ctx: Context, rows: list[Row]) -> Counts:
        counts = Counts()
        new_people, new_data, links, updates = [], [], [], []
        for row in rows:
            values = row.values
            person = values.get("_person")
            changes = self._person_changes(person, values) if person is not None else {}
            counts.count(self._outcome(values, bool(changes)))  # as the check announced it (outcome)
            if person is None:
                fund = values.get("_fund") or ctx.fund
                code = values.get("subdistrict_code")
                subdistrict_id = code if code else fund.organisation.subdistrict_id
                person = Person(
                    title=values.get("title") or "", first_name=values["first_name"],
                    last_name=values.get("last_name") or "", birth_date=values.get("birth_date"),
                    sex=values.get("sex") or "U", house_number=values.get("house_number") or "",
                    village_number=values.get("village_number"), subdistrict_id=subdistrict_id,
                    registered_by=fund.organisation if fund else None,
                )
                new_people.append(person)
                new_data.append((person, values.get("national_id") or None, values.get("phone") or ""))
                links.append((row, person))
            else:
                if changes:
                    updates.append((person, changes))
                links.append((row, person))
        people_services.people_bulk_create(actor=ctx.actor, people=new_data, system=ctx.system)
        if updates:
            people_services.people_bulk_update(actor=ctx.actor, changes=updates, system=ctx.system)
        new_memberships = []
        for row, person in links if self.with_membership else ():
            values = row.values
            membership = values.get("_membership")
            if membership is None:
                new_memberships.append(Membership(
                    fund=values["_fund"], person=person, member_number=values["member_number"],
                    joined_on=values["joined_on"], village_number=values.get("village_number") or person.village_number,
                    status=values.get("status") or ACTIVE, ended_on=values.get("ended_on"),
                ))
                continue
            if membership.joined_on != values["joined_on"]:  # the check refused it once contributions count
                welfare_services.membership_joined_on_correct(
                    actor=ctx.actor, membership=membership, joined_on=values["joined_on"], system=ctx.system)
            if self._ends(membership, values):
                welfare_services.membership_end(actor=ctx.actor, membership=membership, status=values["status"],
                                                on=values["ended_on"], system=ctx.system)
        if new_memberships:
            welfare_services.memberships_bulk_enrol(actor=ctx.actor, memberships=new_memberships, system=ctx.system)
        self.audit_batch(ctx, rows, counts, ctx.fund.organisation if ctx.fund else None)
        return counts


class Memberships(People):
    name = "memberships"
    title_th = "สมาชิกกองทุน"
    title_en = "fund members"
    columns = MEMBERSHIP_COLUMNS[:2] + MEMBER_PERSON_COLUMNS + MEMBERSHIP_COLUMNS[2:]
    needs_fund = True
    with_membership = True
