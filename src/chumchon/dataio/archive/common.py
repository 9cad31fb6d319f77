"""What export and import share: the archive's layout, its version, the refusal carrying the problems found,
and the checked reading of one record's fields (Thai first, English in parentheses, naming file, record, field).
"""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from chumchon.access.roles import FUND_COMMITTEE_ROLES, RULES, Action, Role, ScopeKind
from chumchon.access.scoping import assignments_of

FORMAT = "chumchon.fund-archive"
# Version 2 carries receipt cancellations (a receipt's "void"). This Chumchon reads 1 too; a Chumchon that reads only
# version 1 refuses a version-2 archive instead of loading its cancelled receipts as money received. Version 2 also
# carries, optionally (absent in archives written before them, read as none), the fund's refund_on_resignation
# setting, a member's contribution refund (a membership's "refund") and a claim's payment cancellation (a claim's
# "payment_void").
VERSION = 2
READS = (1, 2)
MANIFEST = "manifest.json"
FUND = "fund.json"
PEOPLE = "people.json"
MEMBERSHIPS = "memberships.json"
CONTRIBUTIONS = "contributions.json"
SHEETS = "collection_sheets.json"
GRANTS = "grants.json"
CLAIMS = "claims.json"
BOOK = "book.json"
PERIODS = "periods.json"
ENTRIES = "entries.json"
DATA_FILES = (FUND, PEOPLE, MEMBERSHIPS, CONTRIBUTIONS, SHEETS, GRANTS, CLAIMS, BOOK, PERIODS, ENTRIES)
FILES_DIR = "files/"
# Counts added to the manifest after version 1, with what an archive without them holds (a version-1 archive,
# written before receipts could be cancelled, has no cancellations; one written before refunds, no refunds; one
# written before claim payments could be cancelled, no cancelled payments).
COUNTS_ADDED = {"contribution_voids": 0, "contribution_refunds": 0, "claim_payment_voids": 0}
MAX_PROBLEMS_SHOWN = 30

NOTICE_TH = ("ไฟล์นี้มีข้อมูลส่วนบุคคลของสมาชิกและผู้รับสวัสดิการ (เลขประจำตัวประชาชน ที่อยู่ การติดต่อ และข้อมูลสุขภาพในคำขอ"
             "สวัสดิการ) ตาม พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562: เก็บรักษาอย่างปลอดภัย ส่งต่อเฉพาะผู้มีหน้าที่ และลบเมื่อนำเข้าแล้ว")
NOTICE_EN = ("This file holds personal data of members and beneficiaries (national IDs, addresses, contacts, and "
             "health data in benefit claims) under Thailand's PDPA B.E. 2562: keep it secure, hand it only to those "
             "whose duty needs it, and delete it once imported.")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_digest(files: dict[str, str]) -> str:
    """One digest for the archive's content: every member's name and sha256 except the manifest (which carries the
    export time). Two exports of unchanged data have the same digest; it marks an import as done."""
    text = "\n".join(f"{name} {digest}" for name, digest in sorted(files.items()) if name != MANIFEST)
    return sha256(text.encode())


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an archive: where (file, record, field) and what, in Thai and English."""

    th: str
    en: str
    file: str = ""
    record: str = ""  # e.g. "3 (00003)"
    field: str = ""

    def where(self, lang: str) -> str:
        parts = [self.file] if self.file else []
        if self.record:
            parts.append(f"รายการที่ {self.record}" if lang == "th" else f"record {self.record}")
        if self.field:
            parts.append(f"ช่อง {self.field}" if lang == "th" else f"field {self.field}")
        return " ".join(parts)

    def __str__(self) -> str:
        th, en = self.where("th"), self.where("en")
        return f"{th + ': ' if th else ''}{self.th} ({en + ': ' if en else ''}{self.en})"


class ArchiveRefused(Exception):
    """The archive is not imported (or the export not made); nothing was written. ``problems`` says why."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        more = len(self.problems) - len(shown)
        if more > 0:
            shown.append(f"และอีก {more:,} ปัญหา (and {more:,} more problems)")
        super().__init__("\n".join(shown))


class ArchiveUnreadable(ArchiveRefused):
    """The file is not a readable fund archive at all (not a zip, no manifest, broken JSON)."""

    exit_code = 2


def may_move_funds(actor, organisation=None) -> bool:
    """National staff and administrators (national scope, CHANGE) may export or import any fund; a fund's own
    committee (chair, treasurer, secretary) may export its fund. ``organisation`` None asks about importing."""
    for a in assignments_of(actor):
        role = Role(a.role)
        if Action.CHANGE not in RULES[role].actions or RULES[role].self_only:
            continue
        if a.scope_kind == ScopeKind.NATIONAL:
            return True
        if (organisation is not None and a.scope_kind == ScopeKind.ORGANISATION
                and a.organisation_id == organisation.pk and role in FUND_COMMITTEE_ROLES):
            return True
    return False


# --- writing values ----------------------------------------------------------------------------------------

def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def money(value) -> str | None:
    return f"{Decimal(value):.2f}" if value is not None else None


# --- reading values: each refusal names the file, the record and the field ---------------------------------

class Bad(Exception):
    """One field of one record is wrong (collected into a :class:`Problem` by the caller)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


_MISSING = object()


class Record:
    """Checked access to one JSON record: ``r.date("joined_on")`` returns a date or raises :class:`Bad` naming
    the file, the record and the field."""

    def __init__(self, file: str, index: int, data, key: str = "") -> None:
        self.file, self.index, self.data = file, index, data
        self.label = f"{index}" + (f" ({key})" if key else "")
        if not isinstance(data, dict):
            raise Bad(Problem("รายการต้องเป็นออบเจกต์ JSON", "a record must be a JSON object", file, self.label))

    def bad(self, field: str, th: str, en: str) -> Bad:
        return Bad(Problem(th, en, self.file, self.label, field))

    def raw(self, field: str, *, null: bool = False):
        value = self.data.get(field, _MISSING)
        if value is _MISSING:
            raise self.bad(field, "ไม่มีข้อมูลช่องนี้", "the field is missing")
        if value is None and not null:
            raise self.bad(field, "ช่องนี้ต้องมีค่า", "the field needs a value")
        return value

    def text(self, field: str, model=None, *, null: bool = False, blank: bool = True, max_length: int | None = None):
        value = self.raw(field, null=null)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.bad(field, f"ต้องเป็นข้อความ ไม่ใช่ {value!r}"[:200], f"must be text, not {value!r}"[:200])
        if not blank and not value.strip():
            raise self.bad(field, "ต้องไม่ว่าง", "must not be blank")
        limit = max_length or (model._meta.get_field(field).max_length if model is not None else None)
        if limit and len(value) > limit:
            raise self.bad(field, f"ยาวเกิน {limit} ตัวอักษร", f"longer than {limit} characters")
        return value

    def choice(self, field: str, model, *, name: str | None = None, null: bool = False):
        value = self.raw(field, null=null)
        if value is None:
            return None
        allowed = {str(c[0]) for c in model._meta.get_field(name or field).choices}
        if value not in allowed:
            raise self.bad(field, f"ค่า {value!r} ไม่อยู่ในรายการที่ใช้ได้ ({', '.join(sorted(allowed))})"[:300],
                           f"{value!r} is not one of {', '.join(sorted(allowed))}"[:300])
        return value

    def date(self, field: str, *, null: bool = False) -> datetime.date | None:
        value = self.raw(field, null=null)
        if value is None:
            return None
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise self.bad(field, f"วันที่ไม่ถูกต้อง {value!r} (ต้องเป็น ค.ศ. แบบ YYYY-MM-DD)"[:200],
                           f"not a date {value!r} (ISO YYYY-MM-DD expected)"[:200]) from None

    def datetime(self, field: str, *, null: bool = False) -> datetime.datetime | None:
        value = self.raw(field, null=null)
        if value is None:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise self.bad(field, f"วันเวลาไม่ถูกต้อง {value!r}"[:200], f"not a date and time {value!r}"[:200]) from None
        if parsed.tzinfo is None:
            raise self.bad(field, "วันเวลาต้องระบุเขตเวลา", "the date and time needs a time zone")
        return parsed

    def money(self, field: str, *, null: bool = False, positive: bool = False, places: int = 2,
              digits: int = 16) -> Decimal | None:
        value = self.raw(field, null=null)
        if value is None:
            return None
        try:
            if not isinstance(value, str):
                raise InvalidOperation
            amount = Decimal(value)
            too_large = abs(amount) >= Decimal(10) ** (digits - places)
            if not amount.is_finite() or amount.as_tuple().exponent < -places or too_large:
                raise InvalidOperation
        except InvalidOperation:
            raise self.bad(field, f"จำนวนไม่ถูกต้อง {value!r} (ต้องเป็นข้อความตัวเลข ทศนิยมไม่เกิน {places} ตำแหน่ง)"[:200],
                           f"not an amount {value!r} (a string of digits, at most {places} decimals)"[:200]) from None
        if amount < 0 or (positive and amount == 0):
            raise self.bad(field, "จำนวนต้องมากกว่าศูนย์" if positive else "จำนวนต้องไม่ติดลบ",
                           "must be above zero" if positive else "must not be negative")
        return amount.quantize(Decimal(1).scaleb(-places))

    def integer(self, field: str, *, null: bool = False, minimum: int = 0, maximum: int = 2**31 - 1) -> int | None:
        value = self.raw(field, null=null)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
            raise self.bad(field, f"ต้องเป็นจำนวนเต็ม {minimum} ถึง {maximum} ไม่ใช่ {value!r}"[:200],
                           f"must be a whole number from {minimum} to {maximum}, not {value!r}"[:200])
        return value

    def boolean(self, field: str) -> bool:
        value = self.raw(field)
        if not isinstance(value, bool):
            raise self.bad(field, f"ต้องเป็น true หรือ false ไม่ใช่ {value!r}"[:200],
                           f"must be true or false, not {value!r}"[:200])
        return value

    def array(self, field: str) -> list:
        value = self.raw(field)
        if not isinstance(value, list):
            raise self.bad(field, "ต้องเป็นรายการ (JSON array)", "must be a JSON array")
        return value
