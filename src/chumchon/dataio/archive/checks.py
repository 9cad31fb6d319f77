"""Reading a fund archive and checking it whole before anything is written: the container (zip, manifest,
format version, every file's sha256), every record's fields, every reference between records, and the books
(each entry balances; each account's lines add up to the running totals exported with it)."""

import json
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath

from chumchon.core.models import Organisation
from chumchon.core.thai import national_id as nid
from chumchon.core.thai.errors import NationalIdError
from chumchon.core.thai.fiscal import FiscalYear
from chumchon.dataio.archive import common as c
from chumchon.dataio.archive.common import Bad, Problem, Record
from chumchon.geo.models import LocalAdministration
from chumchon.ledger.models import Account, Book, JournalEntry, Line, Period
from chumchon.people.models import Household, Person, PersonalData
from chumchon.welfare.models import (
    BenefitRule,
    Claim,
    ClaimEvidence,
    ClaimPaymentVoid,
    CollectionSheet,
    CommitteeMember,
    Contribution,
    ContributionRefund,
    ContributionVoid,
    Dependant,
    Fund,
    Grant,
    Membership,
    ReceiptSequence,
)

ZERO = Decimal("0.00")


@dataclass
class Archive:
    """An archive read and checked: plain Python values (dates, Decimals), cross-referenced by natural keys."""

    manifest: dict
    digest: str
    blobs: dict[str, bytes] = field(default_factory=dict)  # evidence files by archive name
    organisation: dict = field(default_factory=dict)
    local_administration: dict | None = None
    fund: dict = field(default_factory=dict)
    rules: list[dict] = field(default_factory=list)
    committee: list[dict] = field(default_factory=list)
    sequences: list[dict] = field(default_factory=list)
    households: list[dict] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    memberships: list[dict] = field(default_factory=list)
    sheets: list[dict] = field(default_factory=list)
    contributions: list[dict] = field(default_factory=list)
    grants: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    book: dict = field(default_factory=dict)
    accounts: list[dict] = field(default_factory=list)
    periods: list[dict] = field(default_factory=list)
    entries: list[dict] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.organisation["code"]

    def subdistrict_codes(self) -> set[str]:
        codes = {self.organisation["subdistrict"]} - {None}
        if self.local_administration:
            codes |= {self.local_administration["subdistrict"], *self.local_administration["covers"]}
        codes |= {h["subdistrict"] for h in self.households} | {p["subdistrict"] for p in self.people}
        return codes

    def kind_codes(self) -> set[str]:
        return {r["kind"] for r in self.rules} | {cl["kind"] for cl in self.claims}


def _unreadable(th: str, en: str, file: str = "") -> c.ArchiveUnreadable:
    return c.ArchiveUnreadable(Problem(th, en, file))


def open_archive(path_or_file) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path_or_file)
    except FileNotFoundError:
        raise _unreadable("ไม่พบไฟล์", "no such file") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable("ไฟล์นี้ไม่ใช่ไฟล์ zip ที่อ่านได้", f"the file is not a readable zip ({exc})") from None


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name and ":" not in name


def _json(file: str, data: bytes, problems: list[Problem]):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Problem("อ่านเป็น JSON ไม่ได้", f"not valid JSON ({exc})"[:300], file))
        return None


def read_container(zf: zipfile.ZipFile) -> tuple[dict, dict[str, object], dict[str, bytes], str]:
    """The manifest, the data files parsed, the evidence files, and the content digest. Refuses (as a whole) an
    archive whose files are missing, extra, altered (sha256) or unreadable."""
    names = zf.namelist()
    if c.MANIFEST not in names:
        raise _unreadable("ไม่พบ manifest.json: ไฟล์นี้ไม่ใช่ไฟล์ข้อมูลกองทุนของชุมชน",
                          "no manifest.json: this is not a Chumchon fund archive")
    try:
        manifest = json.loads(zf.read(c.MANIFEST).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, zipfile.BadZipFile, OSError) as exc:
        raise _unreadable("อ่าน manifest.json ไม่ได้", f"manifest.json cannot be read ({exc})"[:300], c.MANIFEST) from None
    if not isinstance(manifest, dict) or manifest.get("format") != c.FORMAT:
        raise _unreadable("manifest.json ไม่ใช่ของไฟล์ข้อมูลกองทุน", f"manifest.json is not a {c.FORMAT} manifest",
                          c.MANIFEST)
    if manifest.get("version") not in c.READS:
        reads = ", ".join(map(str, c.READS))
        raise c.ArchiveRefused(Problem(
            f"รุ่นรูปแบบไฟล์ {manifest.get('version')!r} ไม่รองรับ (รองรับรุ่น {reads})",
            f"format version {manifest.get('version')!r} is not supported (this Chumchon reads versions {reads})",
            c.MANIFEST, field="version"))
    listed = manifest.get("files")
    if not isinstance(listed, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in listed.items()):
        raise c.ArchiveRefused(Problem("รายการไฟล์และ sha256 ไม่ถูกต้อง", "the list of files and their sha256 is invalid",
                                       c.MANIFEST, field="files"))
    problems: list[Problem] = []
    counted = Counter(names)
    for name, n in counted.items():
        if n > 1:
            problems.append(Problem("มีไฟล์ชื่อนี้ซ้ำในไฟล์ zip", "the zip holds this name twice", name))
        if not _safe_name(name):
            problems.append(Problem("ชื่อไฟล์ไม่ปลอดภัย", "unsafe file name in the zip", name))
    for name in c.DATA_FILES:
        if name not in listed:
            problems.append(Problem("ไม่มีในรายการไฟล์ของ manifest.json", "not listed in manifest.json", name))
    for name in sorted(set(names) - set(listed) - {c.MANIFEST}):
        problems.append(Problem("ไฟล์นี้ไม่อยู่ในรายการของ manifest.json", "this file is not listed in manifest.json", name))
    contents: dict[str, bytes] = {}
    for name, expected in sorted(listed.items()):
        if name == c.MANIFEST or not _safe_name(name):
            problems.append(Problem("ชื่อไฟล์ในรายการไม่ถูกต้อง", "invalid file name in the list", c.MANIFEST, field=name))
            continue
        if name not in counted:
            problems.append(Problem("ไม่พบไฟล์นี้ในไฟล์ zip", "this file is missing from the zip", name))
            continue
        try:
            data = zf.read(name)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            problems.append(Problem("อ่านไฟล์นี้ไม่ได้ (ไฟล์ zip เสียหาย)", f"cannot read this file (damaged zip: {exc})"[:300],
                                    name))
            continue
        if c.sha256(data) != expected:
            problems.append(Problem("sha256 ไม่ตรงกับที่บันทึกใน manifest.json: ไฟล์ถูกแก้ไขหรือเสียหาย",
                                    "sha256 differs from manifest.json: the file was altered or damaged", name))
            continue
        contents[name] = data
    if problems:
        raise c.ArchiveRefused(problems)
    digest = c.content_digest(listed)
    if manifest.get("content_sha256") != digest:
        raise c.ArchiveRefused(Problem("content_sha256 ไม่ตรงกับรายการไฟล์", "content_sha256 does not match the files",
                                       c.MANIFEST, field="content_sha256"))
    parsed = {name: _json(name, contents[name], problems) for name in c.DATA_FILES}
    if problems:
        raise c.ArchiveRefused(problems)
    blobs = {name: data for name, data in contents.items() if name.startswith(c.FILES_DIR)}
    others = set(contents) - set(blobs) - set(c.DATA_FILES)
    if others:
        raise c.ArchiveRefused([Problem("ไฟล์นี้ไม่ใช่ส่วนหนึ่งของรูปแบบไฟล์", "this file is not part of the format", n)
                                for n in sorted(others)])
    return manifest, parsed, blobs, digest


class _Reader:
    """Stage two: every record's fields read into Python values. Problems are collected, record by record."""

    def __init__(self, archive: Archive, parsed: dict) -> None:
        self.a, self.parsed, self.problems = archive, parsed, []

    def _list(self, file: str, value, what: str = "") -> list:
        if isinstance(value, list):
            return value
        self.problems.append(Problem("ต้องเป็นรายการ (JSON array)", "must be a JSON array", file, field=what))
        return []

    def _object(self, file: str, value, what: str = "") -> dict:
        if isinstance(value, dict):
            return value
        self.problems.append(Problem("ต้องเป็นออบเจกต์ JSON", "must be a JSON object", file, field=what))
        return {}

    def _each(self, file: str, items: list, key: str, read) -> list[dict]:
        out = []
        for index, data in enumerate(items, start=1):
            label = data.get(key) if isinstance(data, dict) and isinstance(data.get(key), str) else ""
            try:
                out.append(read(Record(file, index, data, label)))
            except Bad as exc:
                self.problems.append(exc.problem)
        return out

    def read(self) -> list[Problem]:
        p = self.parsed
        top = self._object(c.FUND, p[c.FUND])
        org = top.get("organisation")
        try:
            self.a.organisation = self._organisation(Record(c.FUND, 1, org, "organisation"))
            self.a.fund = self._fund(Record(c.FUND, 1, top.get("fund"), "fund"))
            la = top.get("local_administration")
            if la is not None:
                self.a.local_administration = self._la(Record(c.FUND, 1, la, "local_administration"))
        except Bad as exc:
            self.problems.append(exc.problem)
        self.a.rules = self._each(f"{c.FUND} benefit_rules",
                                  self._list(c.FUND, top.get("benefit_rules"), "benefit_rules"), "kind", self._rule)
        self.a.committee = self._each(f"{c.FUND} committee", self._list(c.FUND, top.get("committee"), "committee"),
                                      "person", self._seat)
        self.a.sequences = self._each(f"{c.FUND} receipt_sequences",
                                      self._list(c.FUND, top.get("receipt_sequences"), "receipt_sequences"),
                                      "kind", self._sequence)
        people = self._object(c.PEOPLE, p[c.PEOPLE])
        self.a.households = self._each(f"{c.PEOPLE} households", self._list(c.PEOPLE, people.get("households"),
                                                                             "households"), "code", self._household)
        self.a.people = self._each(f"{c.PEOPLE} people", self._list(c.PEOPLE, people.get("people"), "people"), "ref",
                                   self._person)
        self.a.memberships = self._each(c.MEMBERSHIPS, self._list(c.MEMBERSHIPS, p[c.MEMBERSHIPS]), "member_number",
                                        self._membership)
        self.a.sheets = self._each(c.SHEETS, self._list(c.SHEETS, p[c.SHEETS]), "key", self._sheet)
        self.a.contributions = self._each(c.CONTRIBUTIONS, self._list(c.CONTRIBUTIONS, p[c.CONTRIBUTIONS]),
                                          "receipt_number", self._contribution)
        self.a.grants = self._each(c.GRANTS, self._list(c.GRANTS, p[c.GRANTS]), "key", self._grant)
        self.a.claims = self._each(c.CLAIMS, self._list(c.CLAIMS, p[c.CLAIMS]), "key", self._claim)
        book = self._object(c.BOOK, p[c.BOOK])
        try:
            r = Record(c.BOOK, 1, book.get("book"), "book")
            self.a.book = {"code": r.text("code", Book, blank=False), "name_th": r.text("name_th", Book, blank=False),
                           "template": r.text("template", Book)}
        except Bad as exc:
            self.problems.append(exc.problem)
        self.a.accounts = self._each(f"{c.BOOK} accounts", self._list(c.BOOK, book.get("accounts"), "accounts"), "code",
                                     self._account)
        self.a.periods = self._each(c.PERIODS, self._list(c.PERIODS, p[c.PERIODS]), "", self._period)
        self.a.entries = self._each(c.ENTRIES, self._list(c.ENTRIES, p[c.ENTRIES]), "key", self._entry)
        return self.problems

    # --- one reader per record type ---

    def _organisation(self, r: Record) -> dict:
        kind = r.choice("kind", Organisation)
        if kind != Organisation.Kind.WELFARE_FUND:
            raise r.bad("kind", "องค์กรต้องเป็นกองทุนสวัสดิการชุมชน", "the organisation must be a welfare fund")
        return {"code": r.text("code", Organisation, blank=False), "kind": kind,
                "name_th": r.text("name_th", Organisation, blank=False), "name_en": r.text("name_en", Organisation),
                "subdistrict": r.text("subdistrict", null=True, max_length=6)}

    def _la(self, r: Record) -> dict:
        covers = r.array("covers")
        if not all(isinstance(x, str) for x in covers):
            raise r.bad("covers", "ต้องเป็นรายการรหัสตำบล", "must be a list of subdistrict codes")
        return {"name_th": r.text("name_th", LocalAdministration, blank=False),
                "name_en": r.text("name_en", LocalAdministration), "kind": r.choice("kind", LocalAdministration),
                "dla_code": r.text("dla_code", LocalAdministration, null=True),
                "subdistrict": r.text("subdistrict", max_length=6), "covers": covers}

    def _fund(self, r: Record) -> dict:
        return {"founded_on": r.date("founded_on", null=True), "status": r.choice("status", Fund),
                "daily_rate": r.money("daily_rate", positive=True, digits=8),
                "allowed_frequencies": r.text("allowed_frequencies", Fund),
                "whole_days_only": r.boolean("whole_days_only"),
                "arrears_limit_days": r.integer("arrears_limit_days", maximum=32767),
                "admin_cost_cap_percent": r.money("admin_cost_cap_percent", digits=5),
                # absent from archives written before funds could refund a resigning member: they did not
                "refund_on_resignation": (r.boolean("refund_on_resignation") if "refund_on_resignation" in r.data
                                          else False)}

    def _rule(self, r: Record) -> dict:
        tiers = r.array("tiers")
        for tier in tiers:
            try:
                int(tier["years"]), Decimal(str(tier["amount"]))
            except (KeyError, TypeError, ValueError, ArithmeticError):
                raise r.bad("tiers", f"ขั้นอัตราไม่ถูกต้อง: {tier!r}"[:200], f"invalid tier: {tier!r}"[:200]) from None
        return {"kind": r.text("kind", blank=False, max_length=30), "effective_from": r.date("effective_from"),
                "is_offered": r.boolean("is_offered"), "waiting_days": r.integer("waiting_days"),
                "arrears_tolerance_days": r.integer("arrears_tolerance_days"),
                "amount_type": r.choice("amount_type", BenefitRule), "amount": r.money("amount"),
                "unit_amount": r.money("unit_amount"), "tiers": tiers,
                "period": r.choice("period", BenefitRule) if r.raw("period") else "",
                "cap_per_event": r.money("cap_per_event", null=True),
                "cap_per_year": r.money("cap_per_year", null=True), "cap_lifetime": r.money("cap_lifetime", null=True),
                "min_age": r.integer("min_age", null=True, maximum=32767),
                "beneficiary": r.choice("beneficiary", BenefitRule),
                "evidence_required": r.text("evidence_required", BenefitRule), "created": r.datetime("created"),
                "_label": f"{r.file} {r.label}"}

    def _seat(self, r: Record) -> dict:
        seat = {"person": r.text("person", blank=False, max_length=20),
                "position": r.choice("position", CommitteeMember),
                "term_start": r.date("term_start"), "term_end": r.date("term_end", null=True), "_r": r}
        if seat["term_end"] and seat["term_end"] < seat["term_start"]:
            raise r.bad("term_end", "วันสิ้นสุดวาระอยู่ก่อนวันเริ่ม", "the term ends before it starts")
        return seat

    def _sequence(self, r: Record) -> dict:
        return {"kind": r.choice("kind", ReceiptSequence), "fiscal_year": r.integer("fiscal_year", maximum=32767),
                "last_number": r.integer("last_number")}

    def _household(self, r: Record) -> dict:
        return {"code": r.text("code", Household, blank=False), "house_number": r.text("house_number", Household),
                "village_number": r.integer("village_number", null=True, maximum=32767),
                "subdistrict": r.text("subdistrict", max_length=6), "registered_here": r.boolean("registered_here")}

    def _person(self, r: Record) -> dict:
        ref = r.text("ref", blank=False, max_length=20)
        number = r.text("national_id", null=True)
        if number is not None:
            try:
                number = nid.validate(number)
            except NationalIdError as exc:
                raise r.bad("national_id", f"เลขประจำตัวประชาชนไม่ถูกต้อง: {exc.message_th}",
                            f"invalid national ID: {exc.message_en}") from None
            if ref != number:
                raise r.bad("ref", "ref ต้องเป็นเลขประจำตัวประชาชนของบุคคลนั้น", "ref must be the person's national ID")
        elif not ref.startswith("~"):
            raise r.bad("ref", "บุคคลที่ไม่มีเลขประจำตัวประชาชนต้องมี ref ขึ้นต้นด้วย ~",
                        "a person without a national ID needs a ref starting with ~")
        return {"ref": ref, "national_id": number, "title": r.choice("title", Person),
                "first_name": r.text("first_name", Person, blank=False), "last_name": r.text("last_name", Person),
                "birth_date": r.date("birth_date", null=True), "sex": r.choice("sex", Person),
                "house_number": r.text("house_number", Person),
                "village_number": r.integer("village_number", null=True, maximum=32767),
                "subdistrict": r.text("subdistrict", max_length=6), "household": r.text("household", null=True),
                "registered_here": r.boolean("registered_here"), "death_date": r.date("death_date", null=True),
                "phone": r.text("phone", PersonalData), "email": r.text("email", PersonalData),
                "line_id": r.text("line_id", PersonalData),
                "consent_health_data": r.datetime("consent_health_data", null=True), "_r": r}

    def _membership(self, r: Record) -> dict:
        dependants = []
        for n, d in enumerate(r.array("dependants"), start=1):
            dr = Record(r.file, r.index, d, f"{r.data.get('member_number')} dependant {n}")
            dependants.append({"person": dr.text("person", blank=False, max_length=20),
                               "relation": dr.text("relation", Dependant, blank=False), "_r": dr})
        m = {"member_number": r.text("member_number", Membership, blank=False),
             "person": r.text("person", blank=False, max_length=20), "joined_on": r.date("joined_on"),
             "status": r.choice("status", Membership), "ended_on": r.date("ended_on", null=True),
             "village_number": r.integer("village_number", null=True, maximum=32767),
             "paid_through": r.date("paid_through", null=True),
             "lapse_notice_on": r.date("lapse_notice_on", null=True),
             "dependants": dependants, "refund": None, "_r": r}
        refund = r.data.get("refund")  # absent from archives written before contributions could be refunded
        if refund is not None:
            fr = Record(r.file, r.index, refund, f"{r.data.get('member_number')} refund")
            m["refund"] = {"key": fr.text("key", blank=False, max_length=100), "date": fr.date("date"),
                           "amount": fr.money("amount", positive=True), "receipts": fr.integer("receipts"),
                           "voucher_number": fr.text("voucher_number", ContributionRefund, blank=False),
                           "entry": fr.text("entry", blank=False, max_length=100), "created": fr.datetime("created"),
                           "_r": fr}
        return m

    def _sheet(self, r: Record) -> dict:
        return {"key": r.text("key", blank=False, max_length=100),
                "village_number": r.integer("village_number", null=True, maximum=32767), "date": r.date("date"),
                "status": r.choice("status", CollectionSheet), "entry": r.text("entry", null=True, max_length=100),
                "created": r.datetime("created"), "_r": r}

    def _contribution(self, r: Record) -> dict:
        x = {"receipt_number": r.text("receipt_number", Contribution, blank=False),
             "member_number": r.text("member_number", max_length=20), "fiscal_year": r.integer("fiscal_year",
                                                                                               maximum=32767),
             "date": r.date("date"), "amount": r.money("amount", positive=True), "days": r.integer("days"),
             "covers_from": r.date("covers_from"), "covers_to": r.date("covers_to"),
             "sheet": r.text("sheet", null=True, max_length=100), "entry": r.text("entry", max_length=100),
             "key": r.text("key", null=True, blank=False, max_length=100), "created": r.datetime("created"),
             "void": None, "_r": r}
        if x["covers_to"] < x["covers_from"]:
            raise r.bad("covers_to", "ช่วงวันที่คุ้มครองกลับด้าน", "covers_to is before covers_from")
        void = r.data.get("void")  # absent from archives written before receipts could be cancelled
        if void is not None:
            vr = Record(r.file, r.index, void, f"{r.data.get('receipt_number')} void")
            x["void"] = {"key": vr.text("key", blank=False, max_length=100),
                         "reason": vr.text("reason", ContributionVoid, blank=False),
                         "entry": vr.text("entry", blank=False, max_length=100),
                         "paid_through_before": vr.date("paid_through_before", null=True),
                         "paid_through_after": vr.date("paid_through_after", null=True),
                         "created": vr.datetime("created"), "_r": vr}
        return x

    def _grant(self, r: Record) -> dict:
        return {"key": r.text("key", blank=False, max_length=100), "source": r.choice("source", Grant),
                "date": r.date("date"), "amount": r.money("amount", positive=True),
                "members_covered": r.integer("members_covered"), "fiscal_year": r.integer("fiscal_year", maximum=32767),
                "reference": r.text("reference", Grant), "entry": r.text("entry", max_length=100),
                "created": r.datetime("created"), "_r": r}

    def _claim(self, r: Record) -> dict:
        rule = r.raw("rule", null=True)
        if rule is not None:
            rr = Record(r.file, r.index, rule, f"{r.data.get('key')} rule")
            rule = (rr.text("kind", max_length=30), rr.date("effective_from"))
        explanation = r.raw("explanation")
        if not isinstance(explanation, list):
            raise r.bad("explanation", "ต้องเป็นรายการ (JSON array)", "must be a JSON array")
        evidence = []
        for n, e in enumerate(r.array("evidence"), start=1):
            er = Record(r.file, r.index, e, f"{r.data.get('key')} evidence {n}")
            name = er.text("file", blank=False, max_length=300)
            if name not in self.a.blobs:
                raise er.bad("file", f"ไม่พบไฟล์ {name} ในไฟล์ข้อมูล", f"no file {name} in the archive")
            evidence.append({"file": name, "description": er.text("description", ClaimEvidence),
                             "uploaded": er.datetime("uploaded")})
        cl = {"key": r.text("key", blank=False, max_length=100),
              "member_number": r.text("member_number", max_length=20),
              "kind": r.text("kind", blank=False, max_length=30), "rule": rule,
              "beneficiary": r.text("beneficiary", blank=False, max_length=20), "event_date": r.date("event_date"),
              "units": r.money("units", digits=8), "amount": r.money("amount"), "eligible": r.boolean("eligible"),
              "explanation": explanation, "status": r.choice("status", Claim),
              "consent_at": r.datetime("consent_at", null=True), "decided_at": r.datetime("decided_at", null=True),
              "decision_reason": r.text("decision_reason", Claim),
              "entry": r.text("entry", null=True, max_length=100),
              "voucher_number": r.text("voucher_number", Claim), "batch": r.text("batch", Claim),
              "created": r.datetime("created"), "evidence": evidence, "payment_void": None, "_r": r}
        void = r.data.get("payment_void")  # absent from archives written before claim payments could be cancelled
        if void is not None:
            vr = Record(r.file, r.index, void, f"{r.data.get('key')} payment_void")
            cl["payment_void"] = {"key": vr.text("key", blank=False, max_length=100),
                                  "reason": vr.text("reason", ClaimPaymentVoid, blank=False),
                                  "entry": vr.text("entry", blank=False, max_length=100),
                                  "created": vr.datetime("created"), "_r": vr}
        return cl

    def _account(self, r: Record) -> dict:
        fund_source = r.text("fund_source", Account)
        if fund_source and fund_source not in {str(x[0]) for x in Account._meta.get_field("fund_source").choices}:
            raise r.bad("fund_source", f"แหล่งเงิน {fund_source!r} ไม่รู้จัก", f"unknown fund source {fund_source!r}")
        return {"code": r.text("code", Account, blank=False), "name_th": r.text("name_th", Account, blank=False),
                "name_en": r.text("name_en", Account), "type": r.choice("type", Account), "fund_source": fund_source,
                "standard_code": r.text("standard_code", Account), "is_cash": r.boolean("is_cash"),
                "is_active": r.boolean("is_active"), "debit_total": r.money("debit_total"),
                "credit_total": r.money("credit_total"), "_r": r}

    def _period(self, r: Record) -> dict:
        period = {"fiscal_year": r.integer("fiscal_year", minimum=2401, maximum=9999),
                  "month": r.integer("month", minimum=1, maximum=12), "start": r.date("start"), "end": r.date("end"),
                  "status": r.choice("status", Period)}
        month = FiscalYear(period["fiscal_year"]).months()[period["month"] - 1]
        if (period["start"], period["end"]) != (month.start, month.end):
            raise r.bad("start", f"งวดนี้ต้องเริ่ม {month.start} สิ้นสุด {month.end}",
                        f"this period runs from {month.start} to {month.end}")
        return period

    def _entry(self, r: Record) -> dict:
        lines = []
        for n, line in enumerate(r.array("lines"), start=1):
            lr = Record(r.file, r.index, line, f"{r.data.get('key')} line {n}")
            debit, credit = lr.money("debit"), lr.money("credit")
            if (debit > 0) == (credit > 0):
                raise lr.bad("debit", "ต้องมีเดบิตหรือเครดิตอย่างใดอย่างหนึ่งที่มากกว่าศูนย์",
                             "exactly one of debit or credit must be above zero")
            lines.append({"account": lr.text("account", max_length=20), "debit": debit, "credit": credit,
                          "memo": lr.text("memo", Line)})
        return {"key": r.text("key", blank=False, max_length=100), "date": r.date("date"),
                "memo": r.text("memo", JournalEntry, blank=False), "reference": r.text("reference", JournalEntry),
                "reverses": r.text("reverses", null=True, max_length=100), "is_closing": r.boolean("is_closing"),
                "lines": lines, "_r": r}


def _dupes(values) -> list:
    return [v for v, n in Counter(values).items() if n > 1]


def _check_references(a: Archive) -> list[Problem]:
    """Stage three: every reference resolves, natural keys are unique, and the books balance."""
    problems: list[Problem] = []

    def bad(r: Record, field_: str, th: str, en: str) -> None:
        problems.append(Problem(th, en, r.file, r.label, field_))

    def unique(file: str, items: list[dict], key: str, what_th: str, what_en: str) -> None:
        for value in _dupes(x[key] for x in items if x[key] is not None):  # an imported receipt has no key
            problems.append(Problem(f"{what_th} {value} ซ้ำ", f"{what_en} {value} appears twice", file, field=key))

    unique(c.PEOPLE, a.people, "ref", "บุคคล", "person")
    unique(c.PEOPLE, a.households, "code", "ครัวเรือน", "household")
    unique(c.MEMBERSHIPS, a.memberships, "member_number", "เลขสมาชิก", "member number")
    unique(c.SHEETS, a.sheets, "key", "ใบเก็บเงิน", "collection sheet")
    unique(c.CONTRIBUTIONS, a.contributions, "receipt_number", "ใบเสร็จ", "receipt")
    unique(c.CONTRIBUTIONS, a.contributions, "key", "คีย์", "key")
    unique(c.GRANTS, a.grants, "key", "คีย์", "key")
    unique(c.CLAIMS, a.claims, "key", "คีย์", "key")
    unique(c.BOOK, a.accounts, "code", "บัญชี", "account")
    unique(c.ENTRIES, a.entries, "key", "คีย์รายการบัญชี", "entry key")
    for value in _dupes((r["kind"], r["effective_from"]) for r in a.rules):
        problems.append(Problem(f"ระเบียบ {value[0]} {value[1]} ซ้ำ", f"rule {value[0]} from {value[1]} appears twice",
                                c.FUND, field="benefit_rules"))
    for value in _dupes((s["kind"], s["fiscal_year"]) for s in a.sequences):
        problems.append(Problem(f"เลขเอกสาร {value} ซ้ำ", f"document sequence {value} appears twice", c.FUND,
                                field="receipt_sequences"))
    for value in _dupes((p["fiscal_year"], p["month"]) for p in a.periods):
        problems.append(Problem(f"งวด {value[0]}/{value[1]:02d} ซ้ำ", f"period {value[0]}/{value[1]:02d} appears twice",
                                c.PERIODS))
    people = {p["ref"]: p for p in a.people}
    households = {h["code"] for h in a.households}
    for p in a.people:
        if p["household"] is not None and p["household"] not in households:
            bad(p["_r"], "household", f"ไม่พบครัวเรือน {p['household']}", f"no household {p['household']}")
    for s in a.committee:
        if s["person"] not in people:
            bad(s["_r"], "person", f"ไม่พบบุคคล {s['person']} ใน people.json", f"no person {s['person']} in people.json")
    active = Counter()
    for m in a.memberships:
        if m["person"] not in people:
            bad(m["_r"], "person", f"ไม่พบบุคคล {m['person']} ใน people.json", f"no person {m['person']} in people.json")
        if m["status"] == Membership.Status.ACTIVE:
            active[m["person"]] += 1
        for value in _dupes(d["person"] for d in m["dependants"]):
            bad(m["_r"], "dependants", f"ผู้อยู่ในอุปการะ {value} ซ้ำ", f"dependant {value} appears twice")
        for d in m["dependants"]:
            if d["person"] not in people:
                bad(d["_r"], "person", f"ไม่พบบุคคล {d['person']} ใน people.json",
                    f"no person {d['person']} in people.json")
    for ref, n in active.items():
        if n > 1:
            problems.append(Problem(f"บุคคล {ref} เป็นสมาชิกที่ยังมีสถานะอยู่มากกว่าหนึ่งรายการ",
                                    f"person {ref} has more than one active membership", c.MEMBERSHIPS))
    members = {m["member_number"] for m in a.memberships}
    accounts = {x["code"]: x for x in a.accounts}
    entries: dict[str, dict] = {}
    totals = defaultdict(lambda: [ZERO, ZERO])
    reversed_ = set()
    for e in a.entries:
        r = e["_r"]
        if e["reverses"] is not None:
            if e["reverses"] not in entries:
                bad(r, "reverses", f"รายการที่ถูกกลับ {e['reverses']} ต้องอยู่ก่อนหน้าในไฟล์",
                    f"the reversed entry {e['reverses']} must come earlier in the file")
            elif e["reverses"] in reversed_:
                bad(r, "reverses", f"รายการ {e['reverses']} ถูกกลับรายการไปแล้ว",
                    f"entry {e['reverses']} is reversed twice")
            reversed_.add(e["reverses"])
        if len(e["lines"]) < 2:
            bad(r, "lines", "รายการต้องมีอย่างน้อยสองบรรทัด", "an entry needs at least two lines")
        debit = sum((x["debit"] for x in e["lines"]), ZERO)
        credit = sum((x["credit"] for x in e["lines"]), ZERO)
        if debit != credit or debit <= 0:
            bad(r, "lines", f"รายการไม่สมดุล: เดบิต {debit:,.2f} เครดิต {credit:,.2f}",
                f"the entry does not balance: debits {debit:,.2f}, credits {credit:,.2f}")
        for n, line in enumerate(e["lines"], start=1):
            if line["account"] not in accounts:
                bad(r, f"lines[{n}].account", f"ไม่พบบัญชี {line['account']} ใน book.json",
                    f"no account {line['account']} in book.json")
            totals[line["account"]][0] += line["debit"]
            totals[line["account"]][1] += line["credit"]
        e["total"] = debit
        entries[e["key"]] = e
    for code, x in accounts.items():
        debit, credit = totals[code]
        if (debit, credit) != (x["debit_total"], x["credit_total"]):
            stored, summed = (f"{x['debit_total']:,.2f}/{x['credit_total']:,.2f}", f"{debit:,.2f}/{credit:,.2f}")
            bad(x["_r"], "debit_total",
                f"ยอดสะสมของบัญชี {code} (เดบิต/เครดิต {stored}) ไม่เท่ากับผลรวมของรายการใน entries.json ({summed})",
                f"account {code} running totals (debit/credit {stored}) differ from the sum of its lines in "
                f"entries.json ({summed})")
    used: dict[str, str] = {}

    def entry_ref(record: dict, one_to_one: bool) -> None:
        key = record["entry"]
        if key is None:
            return
        if key not in entries:
            bad(record["_r"], "entry", f"ไม่พบรายการบัญชี {key} ใน entries.json", f"no entry {key} in entries.json")
        elif one_to_one:
            if key in used:
                bad(record["_r"], "entry", f"รายการบัญชี {key} ถูกใช้โดย {used[key]} แล้ว",
                    f"entry {key} is already used by {used[key]}")
            used[key] = f"{record['_r'].file} {record['_r'].label}"

    def lines_of(key: str) -> Counter:
        return Counter((x["account"], x["debit"], x["credit"]) for x in entries[key]["lines"])

    def correcting(record: dict, amount, role: tuple[str, str], of_amount: tuple[str, str], expected) -> None:
        """The entry of a receipt's cancellation, a refund or a payment's cancellation (``role``: what the entry
        is, Thai and English): its own (one to one), not an entry of receipts, moving ``amount`` (``of_amount``:
        whose amount), with the lines ``expected(lines)`` accepts (a Counter of (account, debit, credit)) — the
        books take any balanced entry; a fund's history may not."""
        entry_ref(record, True)
        key = record["entry"]
        if key is None or key not in entries:
            return
        if key in by_entry:
            bad(record["_r"], "entry", f"รายการบัญชี {key} เป็นรายการรับเงินสมทบ จึงเป็นรายการ{role[0]}ไม่ได้",
                f"entry {key} posts receipts: it cannot be {role[1]}")
        elif entries[key]["total"] != amount:
            bad(record["_r"], "entry", f"ยอดรายการบัญชี {key} ({entries[key]['total']:,.2f}) ไม่เท่ากับ{of_amount[0]} "
                f"({amount:,.2f})", f"entry {key} moves {entries[key]['total']:,.2f}, not {of_amount[1]} "
                f"({amount:,.2f})")
        elif not expected(lines_of(key)):
            shown = ", ".join(f"{acc} Dr {dr:,.2f} Cr {cr:,.2f}" for (acc, dr, cr) in sorted(lines_of(key)))
            bad(record["_r"], "entry", f"บรรทัดของรายการบัญชี {key} ({shown}) ไม่ใช่บรรทัดของรายการ{role[0]}",
                f"the lines of entry {key} ({shown}) are not those of {role[1]}")

    def two_lines(debit_in, credit_in, amount):
        """Dr one account of ``debit_in``, Cr one of ``credit_in``, both ``amount``."""
        def check(lines: Counter) -> bool:
            if sum(lines.values()) != 2:
                return False
            dr = [acc for (acc, d, cr), n in lines.items() if d == amount and cr == 0 for _ in range(n)]
            cr = [acc for (acc, d, c_), n in lines.items() if c_ == amount and d == 0 for _ in range(n)]
            return len(dr) == len(cr) == 1 and dr[0] in debit_in and cr[0] in credit_in
        return check

    cash = {code for code, x in accounts.items() if x["is_cash"]}
    sheets = {s["key"] for s in a.sheets}
    for s in a.sheets:
        entry_ref(s, True)
    by_entry = defaultdict(lambda: ZERO)
    for x in a.contributions:
        r = x["_r"]
        if x["member_number"] not in members:
            bad(r, "member_number", f"ไม่พบสมาชิก {x['member_number']} ใน memberships.json",
                f"no member {x['member_number']} in memberships.json")
        if x["sheet"] is not None and x["sheet"] not in sheets:
            bad(r, "sheet", f"ไม่พบใบเก็บเงิน {x['sheet']}", f"no collection sheet {x['sheet']}")
        entry_ref(x, False)
        by_entry[x["entry"]] += x["amount"]
    for key, amount in by_entry.items():
        if key in entries and entries[key]["total"] != amount:
            bad(entries[key]["_r"], "lines", f"ยอดรายการ {entries[key]['total']:,.2f} ไม่เท่ากับเงินสมทบที่อ้างถึง "
                f"{amount:,.2f} ใน contributions.json", f"the entry's total {entries[key]['total']:,.2f} differs from "
                f"the contributions posted by it in contributions.json ({amount:,.2f})")
    voids = [x["void"] for x in a.contributions if x["void"] is not None]
    unique(c.CONTRIBUTIONS, voids, "key", "คีย์การยกเลิกใบเสร็จ", "receipt cancellation key")
    for x in a.contributions:
        v = x["void"]
        if v is None:
            continue
        receipt_cash = ({ln["account"] for ln in entries[x["entry"]]["lines"] if ln["debit"] > 0}
                        if x["entry"] in entries else set())
        # Dr contributions 4101, Cr the cash or bank account the receipt's entry debited
        correcting(v, x["amount"], ("ปรับปรุงของการยกเลิกใบเสร็จ", "the correcting entry of a cancellation"),
                   ("จำนวนเงินของใบเสร็จ", "the receipt's amount"), two_lines({"4101"}, receipt_cash, x["amount"]))
    for g in a.grants:
        entry_ref(g, True)
        if g["entry"] in entries and entries[g["entry"]]["total"] != g["amount"]:
            bad(g["_r"], "amount", f"จำนวนเงิน {g['amount']:,.2f} ไม่เท่ากับรายการบัญชี {entries[g['entry']]['total']:,.2f}",
                f"the amount {g['amount']:,.2f} differs from its entry ({entries[g['entry']]['total']:,.2f})")
    rules = {(r["kind"], r["effective_from"]) for r in a.rules}
    referenced = Counter()
    for cl in a.claims:
        r = cl["_r"]
        if cl["member_number"] not in members:
            bad(r, "member_number", f"ไม่พบสมาชิก {cl['member_number']} ใน memberships.json",
                f"no member {cl['member_number']} in memberships.json")
        if cl["beneficiary"] not in people:
            bad(r, "beneficiary", f"ไม่พบบุคคล {cl['beneficiary']} ใน people.json",
                f"no person {cl['beneficiary']} in people.json")
        if cl["rule"] is not None and cl["rule"] not in rules:
            bad(r, "rule", f"ไม่พบระเบียบ {cl['rule'][0]} {cl['rule'][1]} ใน fund.json",
                f"no rule {cl['rule'][0]} from {cl['rule'][1]} in fund.json")
        entry_ref(cl, True)
        if cl["status"] == Claim.Status.PAID and cl["entry"] is None:
            bad(r, "entry", "คำขอที่จ่ายแล้วต้องมีรายการบัญชี", "a paid claim needs its entry")
        if cl["entry"] in entries and entries[cl["entry"]]["total"] != cl["amount"]:
            bad(r, "amount", f"จำนวนเงิน {cl['amount']:,.2f} ไม่เท่ากับรายการบัญชี {entries[cl['entry']]['total']:,.2f}",
                f"the amount {cl['amount']:,.2f} differs from its entry ({entries[cl['entry']]['total']:,.2f})")
        referenced.update(e["file"] for e in cl["evidence"])
    payment_voids = [cl["payment_void"] for cl in a.claims if cl["payment_void"] is not None]
    unique(c.CLAIMS, payment_voids, "key", "คีย์การยกเลิกใบสำคัญจ่าย", "payment cancellation key")
    for cl in a.claims:
        v = cl["payment_void"]
        if v is None:
            continue
        if cl["status"] != Claim.Status.PAID:
            bad(cl["_r"], "payment_void", f"คำขอนี้มีสถานะ {cl['status']}: ยกเลิกการจ่ายได้เฉพาะคำขอที่จ่ายแล้ว",
                f"only a paid claim's payment can be cancelled, and this claim is {cl['status']}")
        if v["entry"] is not None and v["entry"] == cl["entry"]:
            bad(v["_r"], "entry", f"รายการบัญชี {v['entry']} เป็นรายการจ่ายของคำขอนี้เอง จึงเป็นรายการปรับปรุงของการยกเลิกไม่ได้",
                f"entry {v['entry']} is the claim's own payment entry: it cannot be the correcting entry of its "
                "cancellation")
            continue
        # the payment's own lines, each the other way round
        mirror = (Counter({(acc, cr, dr): n for (acc, dr, cr), n in lines_of(cl["entry"]).items()})
                  if cl["entry"] in entries else None)
        correcting(v, cl["amount"],
                   ("ปรับปรุงของการยกเลิกใบสำคัญจ่าย", "the correcting entry of a payment's cancellation"),
                   ("จำนวนเงินที่จ่ายตามคำขอ", "the claim's amount"),
                   lambda lines, mirror=mirror: mirror is None or lines == mirror)
    refunds = [m["refund"] for m in a.memberships if m["refund"] is not None]
    unique(c.MEMBERSHIPS, refunds, "key", "คีย์การคืนเงินสมทบ", "contribution refund key")
    unique(c.MEMBERSHIPS, refunds, "voucher_number", "ใบสำคัญจ่าย", "payment voucher")
    claim_vouchers = {cl["voucher_number"]: cl["key"] for cl in a.claims if cl["voucher_number"]}
    for f in refunds:
        # Dr refunds to members who resigned 5303, Cr cash or bank
        correcting(f, f["amount"], ("จ่ายคืนเงินสมทบ", "the entry of a contribution refund"),
                   ("จำนวนเงินที่คืน", "the refund's amount"), two_lines({"5303"}, cash, f["amount"]))
        voucher = f["voucher_number"]
        if voucher in claim_vouchers:
            bad(f["_r"], "voucher_number", f"ใบสำคัญจ่าย {voucher} เป็นของคำขอสวัสดิการ {claim_vouchers[voucher]} "
                "ใน claims.json แล้ว", f"voucher {voucher} is already the voucher of claim {claim_vouchers[voucher]} "
                "in claims.json")
    for name in sorted(set(a.blobs) - set(referenced)):
        problems.append(Problem("ไม่มีคำขอใดอ้างถึงไฟล์นี้", "no claim refers to this file", name))
    for name, n in referenced.items():
        if n > 1:
            problems.append(Problem("ไฟล์นี้ถูกอ้างถึงมากกว่าหนึ่งครั้ง", "this file is referred to more than once", name))
    counts = a.manifest.get("counts")
    actual = {"people": len(a.people), "memberships": len(a.memberships), "contributions": len(a.contributions),
              "contribution_voids": len(voids), "contribution_refunds": len(refunds),
              "collection_sheets": len(a.sheets), "grants": len(a.grants), "claims": len(a.claims),
              "claim_payment_voids": len(payment_voids), "accounts": len(a.accounts), "periods": len(a.periods),
              "entries": len(a.entries)}
    if not isinstance(counts, dict):
        problems.append(Problem("ไม่มีจำนวนรายการ", "the record counts are missing", c.MANIFEST, field="counts"))
    else:
        for name, n in actual.items():
            if counts.get(name, c.COUNTS_ADDED.get(name)) != n:
                problems.append(Problem(f"จำนวน {name} ใน manifest.json ({counts.get(name)}) ไม่ตรงกับไฟล์ ({n})",
                                        f"the count of {name} in manifest.json ({counts.get(name)}) differs from the "
                                        f"files ({n})", c.MANIFEST, field=f"counts.{name}"))
    if a.organisation and a.book and a.book.get("code") != a.organisation.get("code"):
        problems.append(Problem("รหัสสมุดบัญชีต้องเท่ากับรหัสกองทุน", "the book's code must be the fund's code", c.BOOK,
                                field="book.code"))
    if a.organisation and a.manifest.get("fund_code") != a.organisation.get("code"):
        problems.append(Problem("รหัสกองทุนใน manifest.json ไม่ตรงกับ fund.json", "the fund code differs from fund.json",
                                c.MANIFEST, field="fund_code"))
    return problems


def read_archive(path_or_file) -> Archive:
    """Open, read and check an archive. Refuses (:class:`ArchiveRefused`, or :class:`ArchiveUnreadable` when it is
    not a fund archive at all) before anything is written."""
    with open_archive(path_or_file) as zf:
        manifest, parsed, blobs, digest = read_container(zf)
    archive = Archive(manifest=manifest, digest=digest, blobs=blobs)
    problems = _Reader(archive, parsed).read()
    if problems:
        raise c.ArchiveRefused(problems)
    problems = _check_references(archive)
    if problems:
        raise c.ArchiveRefused(problems)
    return archive
