"""Community organisations registered with a council (ทะเบียนองค์กรชุมชนที่จดแจ้ง), one row each — the register a
council keeps in Excel, or a province's list of all its councils' organisations.

Natural key: council + registration number. A row whose number is already registered to an organisation of the
same name updates what changed (kind, village, founding date, members, leaders, contact) and says so; to an
organisation of another name it is refused. A new number registers a new organisation with its council through
``councils.services.organisation_register``. Every row names its council, so one file may hold many councils;
the user must be allowed to record for each.
"""

from functools import lru_cache

from django.db import transaction

from chumchon.core.models import Organisation
from chumchon.core.thai.dates import format_date
from chumchon.councils import services as council_services
from chumchon.councils.models import CommunityOrganization, Council, Registration
from chumchon.councils.services.common import HEADCOUNT_MAX, may_act_for_council
from chumchon.dataio import values as v
from chumchon.dataio.kinds.base import Column, Context, Counts, Kind, Row, field_length, outcome_of


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    """The register's words for an organisation's kind: the Thai labels the pages show, the English values and
    labels, and a few common variants."""
    labels = v.thai_labels(CommunityOrganization.Kind)
    return {**{th: value for value, th in labels.items()}, **{value: value for value in labels},
            **{str(label).casefold(): value for value, label in CommunityOrganization.Kind.choices},
            "กลุ่มออมทรัพย์เพื่อการผลิต": "savings", "สัจจะออมทรัพย์": "savings", "อื่นๆ": "other", "อื่น": "other"}


FIELDS = ("kind", "village_number", "founded_on", "members_count", "leaders", "contact")


def organisation_kind(value) -> str:
    raw = v.text(value)
    found = _kinds().get(raw.casefold()) or _kinds().get(raw.replace(" ", "").casefold())
    if found is None:
        raise v.CellError("kind", f'ไม่รู้จักประเภทองค์กร "{raw[:30]}" ใช้ เช่น กลุ่มออมทรัพย์ กลุ่มอาชีพ '
                          'เครือข่าย หรือ อื่น ๆ',
                          f'unknown kind of organisation "{raw[:30]}": e.g. savings, occupation, network or other')
    return found


def _village(value) -> int:
    return v.integer(value, low=1, high=99)


def _members(value) -> int:
    """A head count as typed: "1,200" and "35 คน" too."""
    if isinstance(value, str):
        value = value.replace(",", "").removesuffix("คน").strip()
    return v.integer(value, low=0, high=HEADCOUNT_MAX)


class Organisations(Kind):
    name = "organisations"
    title_th = "องค์กรชุมชนที่จดแจ้ง"
    title_en = "registered community organisations"
    needs_fund = False
    choice_columns = {"kind": CommunityOrganization.Kind}
    batch_size = 1000
    columns = [
        Column("council_code", "รหัสสภา", "council_code", v.code, required=True, example="SC-500203",
               help_th="รหัสสภาองค์กรชุมชนที่รับจดแจ้ง",
               help_en="the code of the council the organisation registered with",
               aliases=("รหัสสภาองค์กรชุมชน", "council")),
        Column("registration_number", "เลขที่จดแจ้ง", "registration_number", v.code, required=True, example="0012",
               help_th="เลขที่ในทะเบียนของสภา (ไม่ซ้ำในสภาเดียวกัน)", help_en="the number in the council's register",
               aliases=("เลขทะเบียน", "เลขที่ทะเบียน", "registration no"),
               max_length=field_length(Registration, "number")),
        Column("name_th", "ชื่อองค์กร", "name", v.text, required=True, example="กลุ่มออมทรัพย์บ้านหนองบัว",
               aliases=("ชื่อองค์กรชุมชน", "ชื่อกลุ่ม", "organisation"),
               max_length=field_length(Organisation, "name_th")),
        Column("kind", "ประเภทองค์กร", "kind", organisation_kind, required=True, example="กลุ่มออมทรัพย์",
               help_th="กลุ่มออมทรัพย์ กลุ่มอาชีพ ชมรมผู้สูงอายุ กลุ่มสตรี กลุ่มเยาวชน สหกรณ์ ชุมชนที่อยู่อาศัย เครือข่าย "
                       "กลุ่มสวัสดิการ กลุ่มทรัพยากรธรรมชาติและสิ่งแวดล้อม กลุ่มวัฒนธรรมและประเพณี อื่น ๆ",
               help_en="savings, occupation, elderly, women, youth, cooperative, housing, network, welfare, "
                       "environment, culture, other", aliases=("ประเภท", "type")),
        Column("registered_on", "วันที่จดแจ้ง", "registered_on", v.date, required=True, example="12/03/2564",
               aliases=("วันจดแจ้ง", "registered")),
        Column("village_number", "หมู่ที่", "village_number", _village, example="4", aliases=("หมู่", "moo")),
        Column("founded_on", "วันที่ก่อตั้ง", "founded_on", v.date, example="01/06/2555",
               aliases=("วันก่อตั้ง", "founded")),
        Column("members_count", "จำนวนสมาชิก", "members", _members, example="35",
               aliases=("สมาชิก (คน)", "สมาชิก", "members count")),
        Column("leaders", "ผู้นำองค์กร", "leaders", v.text, example="นางสมศรี มีสุข (ประธาน)",
               aliases=("ประธาน", "ผู้ประสานงาน", "leader"), max_length=field_length(CommunityOrganization, "leaders")),
        Column("contact", "ติดต่อ", "contact", v.text, example="081-234-5678", aliases=("โทรศัพท์", "phone"),
               max_length=field_length(CommunityOrganization, "contact")),
    ]

    def _council(self, ctx: Context, row: Row) -> Council | None:
        code = row.values["council_code"]
        councils = ctx.state.setdefault("councils", {})
        if code not in councils:
            council = (Council.objects.select_related("organisation__subdistrict")
                       .filter(organisation__code=code).first())
            if council is not None and not ctx.system and not may_act_for_council(ctx.actor, council):
                council = False
            councils[code] = council
        council = councils[code]
        if council is None:
            row.problem("council_code", "unknown_council", f"ไม่พบสภาองค์กรชุมชนรหัส {code}",
                        f"no council with code {code}")
        elif council is False:
            row.problem("council_code", "forbidden", f"ไม่มีสิทธิ์บันทึกข้อมูลของสภา {code}",
                        f"not allowed to record for council {code}")
        return council or None

    def check(self, ctx: Context, rows: list[Row]) -> None:
        numbers = {r.values.get("registration_number") for r in rows if r.values.get("registration_number")}
        held = {(reg.council_id, reg.number): reg for reg in Registration.objects.filter(number__in=numbers)
                .select_related("organization__organisation")}
        live_names = {}
        for row in rows:
            values = row.values
            council = self._council(ctx, row)
            if council is None:
                continue
            number, name = values["registration_number"], values["name_th"]
            seen = ctx.seen.setdefault("number", {})
            if (council.pk, number) in seen:
                row.problem("registration_number", "duplicate_in_file",
                            f"เลขที่จดแจ้ง {number} ของสภานี้ซ้ำกับแถวที่ {seen[(council.pk, number)]}",
                            f"registration number {number} of this council is also on row {seen[(council.pk, number)]}")
                continue
            seen[(council.pk, number)] = row.number
            registered, founded = values.get("registered_on"), values.get("founded_on")
            if registered is None:  # unreadable: the reader named it already
                continue
            if registered < council.founded_on:
                row.problem("registered_on", "before_council",
                            f"วันที่จดแจ้งอยู่ก่อนวันก่อตั้งสภา ({format_date(council.founded_on)})",
                            f"registered before the council was founded ({council.founded_on})")
                continue
            if founded and founded > registered:
                row.problem("founded_on", "founded_after", "วันที่ก่อตั้งองค์กรอยู่หลังวันที่จดแจ้ง",
                            "the organisation was founded after it registered")
                continue
            values["_council"] = council
            registration = held.get((council.pk, number))
            if registration is not None:
                if registration.organization.name != name:
                    row.problem("registration_number", "number_taken",
                                f"เลขที่จดแจ้ง {number} ของสภานี้เป็นของ {registration.organization.name} อยู่แล้ว",
                                f"registration number {number} of this council belongs to "
                                f"{registration.organization.name}")
                    continue
                if registration.registered_on != registered:
                    row.problem("registered_on", "registered_differently",
                                f"จดแจ้งไว้แล้วเมื่อ {format_date(registration.registered_on)} "
                                "(แก้วันที่จดแจ้งด้วยการนำเข้าไม่ได้)",
                                f"registered already on {registration.registered_on} (an import does not move it)")
                    continue
                organization = registration.organization
                changes = {f: values[f] for f in FIELDS
                           if values.get(f) not in (None, "") and getattr(organization, f) != values[f]}
                values["_organization"], values["_changes"] = organization, changes
                continue
            if council.pk not in live_names:
                live_names[council.pk] = set(Registration.objects.filter(council=council, deregistered_on=None)
                                             .values_list("organization__organisation__name_th", flat=True))
            if name in live_names[council.pk] or name in ctx.seen.setdefault("name", {}).get(council.pk, set()):
                row.problem("name_th", "registered_twice", f"{name} จดแจ้งกับสภานี้แล้ว (เลขที่อื่น)",
                            f"{name} is already registered with this council (under another number)")
                continue
            ctx.seen["name"].setdefault(council.pk, set()).add(name)

    def outcome(self, values: dict) -> str:
        return outcome_of(values.get("_organization"), values.get("_changes"))

    def changes(self, values: dict) -> list[tuple[str, object, object]]:
        organization = values.get("_organization")
        if organization is None:
            return []
        return [(name, getattr(organization, name), new) for name, new in (values.get("_changes") or {}).items()]

    @transaction.atomic
    def write(self, ctx: Context, rows: list[Row]) -> Counts:
        counts = Counts()
        for row in rows:
            values = row.values
            council, organization, outcome = values["_council"], values.get("_organization"), self.outcome(values)
            counts.count(outcome)
            if outcome == "written":
                council_services.organisation_register(
                    actor=ctx.actor, council=council, name_th=values["name_th"], kind=values["kind"],
                    number=values["registration_number"], registered_on=values["registered_on"],
                    village_number=values.get("village_number"), founded_on=values.get("founded_on"),
                    members_count=values.get("members_count") or 0, leaders=values.get("leaders") or "",
                    contact=values.get("contact") or "", system=ctx.system)
            elif outcome == "updated":
                council_services.organisation_update(actor=ctx.actor, council=council, organization=organization,
                                                     system=ctx.system, **values["_changes"])
        self.audit_batch(ctx, rows, counts)
        return counts
