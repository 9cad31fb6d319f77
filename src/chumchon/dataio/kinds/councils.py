"""Community organisation councils (สภาองค์กรชุมชนตำบล/เมือง), one row each — a province's list of its councils.

Natural key: the council's code. A code already held by a council in the same subdistrict updates what changed
(name, kind, founding date, founding registration) through ``councils.services.council_update`` and says so; a code
held by anything else (a council elsewhere, a fund, an organisation) is refused. A new code enters the council
through ``councils.services.council_create``. The user must be allowed to record in each row's subdistrict.
"""

from django.db import transaction

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location
from chumchon.core.models import Organisation
from chumchon.core.thai.dates import format_date
from chumchon.councils import services as council_services
from chumchon.councils.models import Council
from chumchon.councils.selectors import earliest_record
from chumchon.dataio import values as v
from chumchon.dataio.kinds.base import Column, Context, Counts, Kind, Row, field_length, outcome_of
from chumchon.geo.models import Subdistrict

KIND_TH = {"tambon": "ตำบล", "city": "เมือง"}
_KINDS = {"ตำบล": "tambon", "สภาองค์กรชุมชนตำบล": "tambon", "tambon": "tambon", "subdistrict": "tambon",
          "เมือง": "city", "เทศบาล": "city", "สภาองค์กรชุมชนเมือง": "city", "city": "city", "municipal": "city"}
FIELDS = ("name_th", "kind", "founded_on", "registration_number", "registered_on")


def council_kind(value) -> str:
    raw = v.text(value)
    found = _KINDS.get(raw.casefold())
    if found is None:
        raise v.CellError("kind", f'ประเภทสภา "{raw[:20]}" ไม่ถูกต้อง ใช้ ตำบล หรือ เมือง',
                          f'council kind "{raw[:20]}": use tambon or city')
    return found


class Councils(Kind):
    name = "councils"
    title_th = "สภาองค์กรชุมชน"
    title_en = "community organisation councils"
    needs_fund = False
    choice_columns = {"kind": Council.Kind}
    batch_size = 500
    columns = [
        Column("code", "รหัสสภา", "code", v.code, required=True, example="SC-500203",
               help_th="รหัสที่ใช้ในระบบ ไม่ซ้ำกับองค์กรอื่น", help_en="the council's code in Chumchon (unique)",
               aliases=("รหัส", "council code"), max_length=field_length(Organisation, "code")),
        Column("name_th", "ชื่อสภา", "name", v.text, required=True, example="สภาองค์กรชุมชนตำบลสันผักหวาน",
               aliases=("ชื่อสภาองค์กรชุมชน", "council"), max_length=field_length(Organisation, "name_th")),
        Column("subdistrict_code", "รหัสตำบล", "subdistrict_code", v.code, required=True, example="500203",
               help_th="รหัสตำบล 6 หลักของกรมการปกครอง", help_en="DOPA 6-digit subdistrict code",
               aliases=("ตำบล", "subdistrict")),
        Column("kind", "ประเภท", "kind", council_kind, example="ตำบล", help_th="ตำบล หรือ เมือง (ไม่กรอก = ตำบล)",
               help_en="tambon or city (blank: tambon)", aliases=("ประเภทสภา", "type")),
        Column("founded_on", "วันที่จัดตั้ง", "founded_on", v.date, required=True, example="15/06/2552",
               aliases=("วันก่อตั้ง", "วันที่ก่อตั้ง", "founded")),
        Column("registration_number", "เลขที่จดแจ้งจัดตั้ง", "registration_number", v.code, example="50/2552",
               aliases=("เลขที่จดแจ้ง", "registration no"), max_length=field_length(Council, "registration_number")),
        Column("registered_on", "วันที่จดแจ้งจัดตั้ง", "registered_on", v.date, example="20/06/2552",
               aliases=("วันจดแจ้ง", "registered")),
    ]

    def check(self, ctx: Context, rows: list[Row]) -> None:
        codes = [r.values["code"] for r in rows if r.values.get("code")]
        taken = {o.code: o for o in Organisation.objects.filter(code__in=codes).select_related("council")}
        subdistricts = ctx.state.setdefault("subdistricts", {})
        for row in rows:
            values = row.values
            code, sub_code = values["code"], values["subdistrict_code"]
            earlier = ctx.seen.setdefault("code", {}).get(code)
            if earlier:
                row.problem("code", "duplicate_in_file", f"รหัส {code} ซ้ำกับแถวที่ {earlier}",
                            f"code {code} is also on row {earlier}")
                continue
            ctx.seen["code"][code] = row.number
            if sub_code not in subdistricts:
                subdistricts[sub_code] = Subdistrict.objects.filter(pk=sub_code).first()
            subdistrict = subdistricts[sub_code]
            if subdistrict is None:
                row.problem("subdistrict_code", "unknown_subdistrict", f"ไม่พบตำบลรหัส {sub_code}",
                            f"no subdistrict with code {sub_code}")
                continue
            if not ctx.system and not allows_location(ctx.actor, Action.CHANGE, subdistrict=subdistrict):
                row.problem("subdistrict_code", "forbidden", f"ไม่มีสิทธิ์บันทึกสภาในตำบล {sub_code}",
                            f"not allowed to enter councils in subdistrict {sub_code}")
                continue
            founded, registered = values.get("founded_on"), values.get("registered_on")
            if registered is not None and founded is not None and registered < founded:
                row.problem("registered_on", "before_founding", "วันที่จดแจ้งจัดตั้งอยู่ก่อนวันที่จัดตั้ง",
                            "registration is before founding")
                continue
            values["_subdistrict"] = subdistrict
            held = taken.get(code)
            if held is None:
                continue
            council = getattr(held, "council", None) if held.kind == Organisation.Kind.COUNCIL else None
            if council is None or held.subdistrict_id != sub_code:
                row.problem("code", "code_taken", f"รหัส {code} เป็นของ {held.name_th} อยู่แล้ว",
                            f"code {code} belongs to {held.name_th} already")
                continue
            current = _current(council)
            wanted = {**values, "kind": values.get("kind") or Council.Kind.TAMBON}
            changes = {f: wanted[f] for f in FIELDS if wanted.get(f) not in (None, "") and wanted[f] != current[f]}
            if registered is None and council.registered_on is not None and council.registered_on < founded:
                row.problem("founded_on", "before_founding", "วันที่จดแจ้งจัดตั้งที่บันทึกไว้อยู่ก่อนวันที่จัดตั้งนี้",
                            "the recorded registration is before this founding date")
                continue
            if "founded_on" in changes:
                earliest = earliest_record(council)
                if earliest is not None and founded > earliest:
                    row.problem("founded_on", "after_records", f"สภานี้มีข้อมูลตั้งแต่ {format_date(earliest)} "
                                "วันที่จัดตั้งต้องไม่หลังจากนั้น",
                                f"the council has records from {earliest}: it cannot be founded after that")
                    continue
            values["_council"], values["_changes"] = council, changes

    def outcome(self, values: dict) -> str:
        return outcome_of(values.get("_council"), values.get("_changes"))

    def changes(self, values: dict) -> list[tuple[str, object, object]]:
        council = values.get("_council")
        if council is None:
            return []
        current = _current(council)
        return [(name, current[name], new) for name, new in (values.get("_changes") or {}).items()]

    @transaction.atomic
    def write(self, ctx: Context, rows: list[Row]) -> Counts:
        counts = Counts()
        for row in rows:
            values = row.values
            council, outcome = values.get("_council"), self.outcome(values)
            counts.count(outcome)
            if outcome == "written":
                council_services.council_create(
                    actor=ctx.actor, code=values["code"], name_th=values["name_th"], subdistrict=values["_subdistrict"],
                    founded_on=values["founded_on"], kind=values.get("kind") or Council.Kind.TAMBON,
                    registration_number=values.get("registration_number") or "",
                    registered_on=values.get("registered_on"), system=ctx.system)
            elif outcome == "updated":
                council_services.council_update(actor=ctx.actor, council=council, system=ctx.system,
                                                **values["_changes"])
        self.audit_batch(ctx, rows, counts)
        return counts


def _current(council: Council) -> dict:
    """What a council's row of the file is compared with: its details as recorded (its organisation is the one
    the check found it through, already loaded)."""
    return {"name_th": council.organisation.name_th, "kind": council.kind, "founded_on": council.founded_on,
            "registration_number": council.registration_number, "registered_on": council.registered_on}
