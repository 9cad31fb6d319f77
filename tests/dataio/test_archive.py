"""A whole fund in one archive: exported, then imported into an instance that never had it — the same members,
contributions, claims and evidence, the same entry lines, balances and statements — and refused whole when the
archive is damaged, tampered with, or meets a fund code that is taken."""

import datetime
import io
import json
import os
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from chumchon.access.roles import Role, ScopeKind
from chumchon.core.models import AuditLog, Organisation
from chumchon.core.thai.fiscal import FiscalYear
from chumchon.core.thai.national_id import mask
from chumchon.dataio import services as import_services
from chumchon.dataio.archive import ArchiveRefused, ArchiveUnreadable, fund_export, fund_import
from chumchon.dataio.archive.common import content_digest, sha256
from chumchon.geo import services as geo_services
from chumchon.geo.models import LocalAdministration, Subdistrict
from chumchon.ledger import services as ledger
from chumchon.ledger.models import Account, Book, JournalEntry, Line, Period
from chumchon.ledger.statements import statement
from chumchon.people import services as people_services
from chumchon.people.models import Household, Person, PersonalData, PersonalDataAccess
from chumchon.welfare import services as welfare
from chumchon.welfare.models import (
    BenefitKind,
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

pytestmark = pytest.mark.django_db
D = datetime.date
CODE = "M-001"
PURPOSE = "ย้ายกองทุนไปยังระบบของจังหวัด"
EVIDENCE = b"%PDF-1.4\n% hospital certificate\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def build_fund(system_user, make_person, make_user) -> Fund:
    """A fund with a bit of everything: a local administration, rules, a household, members (one without a national
    ID, one resigned), a dependant, a committee, receipts and a collection sheet, a grant, a paid hospital claim with
    its certificate and a rejected one, a reversed entry, a retired account, and FY 2565 closed, reopened and closed
    again before FY 2566's first receipt."""
    admin = system_user
    sub = Subdistrict.objects.get(code="500203")
    la = geo_services.local_administration_create(actor=admin, name_th="อบต.ทดสอบย้าย", kind="sao", subdistrict=sub)
    fund = welfare.fund_create(actor=admin, code=CODE, name_th="กองทุนสวัสดิการชุมชนทดสอบการย้าย", subdistrict=sub,
                               founded_on=D(2019, 6, 1), local_administration=la)
    welfare.typical_rules_set(actor=admin, fund=fund, effective_from=D(2020, 1, 1))
    household = people_services.household_create(actor=admin, code="HH-M-1", subdistrict=sub, village_number=4,
                                                  registered_by=fund.organisation)
    people = [make_person(fund=fund, first_name=f"สมาชิก{i}", village_number=4, household=household,
                          phone=f"08100000{i}", birth_date=D(1960 + i, 1, 2)) for i in range(4)]
    people.append(make_person(fund=fund, first_name="ไร้บัตร", national_id=None))
    members = [p.memberships.get() for p in people]
    child = make_person(first_name="ลูก", birth_date=D(2015, 5, 5))
    Dependant.objects.create(membership=members[0], person=child, relation="บุตร")
    welfare.committee_seat(actor=admin, fund=fund, person=people[1], position="chair", term_start=D(2020, 1, 1))
    treasurer = make_user("m_treasurer", Role.FUND_TREASURER, ScopeKind.ORGANISATION, fund.organisation)
    chair = make_user("m_chair", Role.FUND_CHAIR, ScopeKind.ORGANISATION, fund.organisation, people[1])
    for i, m in enumerate(members[:3]):
        welfare.contribution_receive(actor=treasurer, membership=m, amount=730, date=D(2022, 1, 3),
                                     idempotency_key=f"c{i}")
    welfare.collection_sheet_post(actor=treasurer, fund=fund, date=D(2022, 3, 1), village_number=4,
                                  idempotency_key="sheet-1",
                                  payments=[welfare.SheetPayment(members[0], Decimal(365)),
                                            welfare.SheetPayment(members[1], Decimal(365))])
    history = ("เลขที่สมาชิก,เลขที่ใบเสร็จ,วันที่จ่าย,จำนวนเงิน\n"  # imported receipts: no key of their own
               f"{members[4].member_number},H65/001,10/02/2565,30\n{members[4].member_number},H65/002,10/03/2565,30\n")
    job = import_services.job_create(actor=None, kind="contributions", file=io.BytesIO(history.encode("utf-8-sig")),
                                     filename="history.csv", fund=fund, system=True)
    job = import_services.job_write(import_services.job_confirm(actor=None, job=import_services.job_check(
        job, system=True)), system=True)
    assert job.rows_written == 2, job.message
    welfare.grant_receive(actor=treasurer, fund=fund, source="government", amount=Decimal("5000.50"),
                          date=D(2022, 2, 1), idempotency_key="g1", members_covered=4, reference="CODI-2565")
    hospital = BenefitKind.objects.get(code="hospital")
    claim = welfare.claim_submit(actor=treasurer, membership=members[0], kind=hospital, event_date=D(2022, 8, 2),
                                 units=2, consent=True, idempotency_key="h1",
                                 evidence=[SimpleUploadedFile("cert.pdf", EVIDENCE)])
    welfare.claim_decide(actor=chair, claim=claim, approve=True)
    welfare.claim_pay(actor=treasurer, claim=claim, date=D(2022, 8, 3))
    rejected = welfare.claim_submit(actor=treasurer, membership=members[2], kind=hospital, event_date=D(2022, 5, 1),
                                    units=1, consent=True, idempotency_key="h2")
    welfare.claim_decide(actor=chair, claim=rejected, approve=False, reason="ไม่มีใบรับรองแพทย์")
    book = fund.organisation.book
    wrong = ledger.entry_post(actor=treasurer, book=book, date=D(2022, 4, 1), memo="ค่าถ่ายเอกสาร",
                              idempotency_key="manual-1", lines=[ledger.LineSpec("5301", debit=120),
                                                                 ledger.LineSpec("1101", credit=120)])
    ledger.entry_reverse(actor=treasurer, entry=wrong, idempotency_key="manual-1-reversed")
    welfare.membership_end(actor=admin, membership=members[3], status="resigned", on=D(2022, 6, 30))
    ledger.period_close(actor=admin, book=book, fiscal_year=2565)
    ledger.period_reopen(actor=admin, book=book, fiscal_year=2565, reason="แก้ไขรายการปลายปี")
    ledger.period_close(actor=admin, book=book, fiscal_year=2565)
    welfare.contribution_receive(actor=treasurer, membership=members[2], amount=365, date=D(2022, 11, 1),
                                 idempotency_key="c-fy2566")
    Account.objects.filter(book=book, code="5302").update(is_active=False)
    return fund


def _content(file) -> bytes:
    with file.open("rb") as handle:
        return handle.read()


def snapshot(fund: Fund) -> dict:
    """Everything a treasurer or an auditor would compare, by natural keys (no database ids)."""
    book = fund.organisation.book
    keys = dict(JournalEntry.objects.filter(book=book).values_list("id", "idempotency_key"))
    fy65, fy66 = FiscalYear(2565), FiscalYear(2566)
    statements = {kind: statement(kind, book, fy65.start, fy66.end).to_dict()
                  for kind in ("trial-balance", "income-expenditure", "financial-position", "changes-in-fund-balance")}
    for s in statements.values():
        s.pop("scope", None)
    return {
        "fund": (fund.organisation.name_th, fund.organisation.subdistrict_id,
                 fund.organisation.local_administration.name_th, fund.founded_on, fund.daily_rate,
                 fund.refund_on_resignation),
        "members": [(m.member_number, m.person.personal_data.national_id, m.person.full_name, m.person.birth_date,
                     m.person.household.code if m.person.household else None, m.person.personal_data.phone,
                     m.status, m.joined_on, m.ended_on, m.paid_through)
                    for m in fund.memberships.select_related("person__personal_data", "person__household")
                    .order_by("member_number")],
        "dependants": sorted((d.membership.member_number, d.person.first_name, d.relation)
                             for d in Dependant.objects.filter(membership__fund=fund)),
        "committee": [(s.person.first_name, s.position, s.term_start) for s in fund.committee.all()],
        "rules": sorted((r.kind.code, r.effective_from, r.amount_type, r.amount, r.unit_amount, r.cap_per_year,
                         json.dumps(r.tiers, sort_keys=True)) for r in fund.benefit_rules.all()),
        "contributions": sorted((x.receipt_number, x.membership.member_number, x.date, x.amount, x.days,
                                 x.covers_from, x.covers_to, x.sheet.idempotency_key if x.sheet else None,
                                 keys[x.entry_id], x.idempotency_key, x.created) for x in fund.contributions.all()),
        "sheets": [(s.idempotency_key, s.date, s.village_number, keys[s.entry_id])
                   for s in fund.collection_sheets.all()],
        "voids": sorted((v.contribution.receipt_number, v.reason, keys[v.entry_id], v.paid_through_before,
                         v.paid_through_after, v.idempotency_key, v.created)
                        for v in ContributionVoid.objects.filter(fund=fund).select_related("contribution")),
        "refunds": sorted((r.membership.member_number, r.date, r.amount, r.receipts, r.voucher_number,
                           keys[r.entry_id], r.idempotency_key, r.created)
                          for r in ContributionRefund.objects.filter(fund=fund).select_related("membership")),
        "grants": [(g.source, g.amount, g.date, g.reference, keys[g.entry_id]) for g in fund.grants.all()],
        "claim_voids": sorted((v.claim.idempotency_key, v.reason, keys[v.entry_id], v.idempotency_key, v.created)
                              for v in ClaimPaymentVoid.objects.filter(fund=fund).select_related("claim")),
        "claims": sorted((c.idempotency_key, c.status, c.amount, c.kind.code, c.rule.effective_from,
                          c.beneficiary.first_name, c.voucher_number, keys.get(c.entry_id), c.consent_at, c.decided_at,
                          c.decision_reason, json.dumps(c.explanation, sort_keys=True),
                          tuple(_content(e.file) for e in c.evidence.all())) for c in fund.claims.all()),
        "sequences": sorted(ReceiptSequence.objects.filter(fund=fund)
                            .values_list("kind", "fiscal_year", "last_number")),
        "entries": [(e.idempotency_key, e.date, e.memo, e.reference, e.is_closing,
                     keys.get(e.reverses_id), [(ln.account.code, ln.debit, ln.credit, ln.memo)
                                               for ln in e.lines.select_related("account").order_by("id")])
                    for e in JournalEntry.objects.filter(book=book).order_by("id")],
        "balances": {a.code: (a.debit_total, a.credit_total, a.is_active) for a in book.accounts.all()},
        "periods": list(Period.objects.filter(book=book).order_by("start").values_list("fiscal_year", "month",
                                                                                       "status")),
        "statements": statements,
    }


VOID_REASON = "รับเงินซ้ำ สมาชิกจ่ายไว้แล้วในใบก่อน"
PAYMENT_VOID_REASON = "จ่ายผิดคน เป็นการนอนโรงพยาบาลของสมาชิกอื่น"


def _move(system_user, make_person, make_user, path: Path, *, cancel: bool = False, refund: bool = False,
          cancel_payment: bool = False) -> dict:
    """Fund M-001 built (``cancel``: and its last receipt, c-fy2566, cancelled; ``refund``: the fund refunding a
    member who resigns, and สมาชิก1 resigned and paid back; ``cancel_payment``: a hospital night of สมาชิก0's in
    FY 2566, claim h3, paid and its payment cancelled) and exported inside a savepoint that is then rolled back:
    afterwards the database is an instance that never had the fund (rolled back, not deleted: posted entries cannot
    be)."""
    with transaction.atomic():
        fund = build_fund(system_user, make_person, make_user)
        paid_through = None
        if cancel:
            receipt = Contribution.objects.get(fund=fund, idempotency_key="c-fy2566")
            welfare.contribution_void(actor=system_user, contribution=receipt, reason=VOID_REASON,
                                      idempotency_key="v-fy2566")
            paid_through = Membership.objects.get(pk=receipt.membership_id).paid_through
        if refund:
            fund = welfare.fund_settings_update(actor=system_user, fund=fund, refund_on_resignation=True)
            member = Membership.objects.get(fund=fund, person__first_name="สมาชิก1")
            welfare.membership_end(actor=system_user, membership=member, status="resigned", on=D(2022, 11, 15))
            welfare.contribution_refund(actor=system_user, membership=member, date=D(2022, 11, 20),
                                        idempotency_key="rf-1")
        if cancel_payment:
            treasurer = fund.organisation.role_assignments.get(role=Role.FUND_TREASURER).user
            chair = fund.organisation.role_assignments.get(role=Role.FUND_CHAIR).user
            claim = welfare.claim_submit(actor=treasurer, membership=Membership.objects.get(
                fund=fund, person__first_name="สมาชิก0"), kind=BenefitKind.objects.get(code="hospital"),
                event_date=D(2022, 11, 2), units=1, consent=True, idempotency_key="h3")
            welfare.claim_decide(actor=chair, claim=claim, approve=True)
            claim = welfare.claim_pay(actor=treasurer, claim=claim, date=D(2022, 11, 3))
            welfare.claim_payment_void(actor=system_user, claim=claim, reason=PAYMENT_VOID_REASON,
                                       idempotency_key="cv-h3")
        before = snapshot(fund)
        summary = fund_export(actor=system_user, fund=fund, path_or_file=path, purpose=PURPOSE)
        original_pk = fund.pk
        transaction.set_rollback(True)
    assert not Organisation.objects.filter(code=CODE).exists()
    return {"path": path, "snapshot": before, "export": summary, "pk": original_pk, "paid_through": paid_through}


@pytest.fixture
def moved(system_user, make_person, make_user, tmp_path):
    """The fund exported from an instance that is then rolled back (:func:`_move`). Returns the archive's path,
    the fund's snapshot and the export's summary."""
    return _move(system_user, make_person, make_user, tmp_path / "M-001.zip")


@pytest.fixture
def moved_cancelled(system_user, make_person, make_user, tmp_path):
    """As :func:`moved`, with receipt c-fy2566 cancelled before the export; also the member's paid-through date
    after the cancellation."""
    return _move(system_user, make_person, make_user, tmp_path / "M-001-void.zip", cancel=True)


@pytest.fixture
def moved_refunded(system_user, make_person, make_user, tmp_path):
    """As :func:`moved`, with the fund refunding resigning members and สมาชิก1 (who paid 730 + 365 and never
    received a benefit) resigned on 15 Nov 2022 and paid back 1,095.00 on 20 Nov (key rf-1)."""
    return _move(system_user, make_person, make_user, tmp_path / "M-001-refund.zip", refund=True)


@pytest.fixture
def moved_payment_cancelled(system_user, make_person, make_user, tmp_path):
    """As :func:`moved`, with a third claim, h3 (สมาชิก0, one hospital night on 2 Nov 2022: 200.00, voucher
    PV2566-00001, paid on 3 Nov by entry claim-h3), its payment cancelled (key cv-h3, correcting entry
    claim-void-cv-h3)."""
    return _move(system_user, make_person, make_user, tmp_path / "M-001-claim-void.zip", cancel_payment=True)


def _shift_ids(system_user, make_person, world):
    """Rows in "the other instance" so that the imported records get other ids than they had."""
    Organisation.objects.create(code="OTHER-1", kind="council", name_th="สภาองค์กรชุมชนอื่น")
    for i in range(3):
        make_person(first_name=f"คนอื่น{i}")
    book = world["fund_a"].organisation.book
    for i in range(3):
        ledger.receipt_post(actor=system_user, book=book, date=D(2023, 1, 5), amount=30, income_account="4101",
                            memo="เงินสมทบ", idempotency_key=f"shift-{i}")


def rewrite(path: Path, out: Path, edits: dict, *, fix_sha: bool = True) -> Path:
    """A copy of the archive with some JSON files edited (``edits``: name -> function of the parsed JSON); the
    manifest's sha256s are brought up to date unless ``fix_sha`` is False (a tampered copy that does not hide)."""
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    for name, edit in edits.items():
        data = json.loads(members[name])
        data = edit(data) or data
        members[name] = json.dumps(data, ensure_ascii=False, indent=1).encode()
    if fix_sha:
        manifest = json.loads(members["manifest.json"])
        manifest["files"] = {name: sha256(data) for name, data in members.items() if name != "manifest.json"}
        manifest["content_sha256"] = content_digest(manifest["files"])
        members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out


MODELS = [Organisation, Fund, LocalAdministration, Household, Person, PersonalData, Membership, Dependant,
          CommitteeMember, BenefitRule, ReceiptSequence, CollectionSheet, Contribution, ContributionVoid,
          ContributionRefund, Grant, Claim, ClaimEvidence, ClaimPaymentVoid, Book, Account, Period, JournalEntry, Line,
          AuditLog, PersonalDataAccess]


def row_counts() -> dict:
    return {m.__name__: m.objects.count() for m in MODELS}


def media_files(media) -> list:
    return sorted(str(p) for p in Path(media).rglob("*") if p.is_file())


def archive_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


# --- the move ---------------------------------------------------------------------------------------------


def test_a_fund_moves_whole_to_an_instance_that_never_had_it(moved, system_user, make_person, world, tmp_path):
    _shift_ids(system_user, make_person, world)
    summary = fund_import(actor=system_user, path_or_file=moved["path"])
    assert summary["status"] == "imported"
    assert (summary["people_created"], summary["people_reused"]) == (6, 0)  # 5 members and a child, nobody here
    assert (summary["memberships"], summary["contributions"], summary["claims"], summary["evidence_files"]) == (
        5, 8, 2, 1)  # 6 from the counter and a sheet, 2 imported
    fund = Fund.objects.get(organisation__code=CODE)
    assert fund.pk != moved["pk"], "the ids differ in the other instance"
    assert snapshot(fund) == moved["snapshot"]
    call_command("ledger_verify", stdout=io.StringIO())
    # A second export, made from the imported fund, holds exactly the same data files as the first.
    again = fund_export(actor=system_user, fund=fund, path_or_file=tmp_path / "again.zip", purpose=PURPOSE)
    first, second = archive_members(moved["path"]), archive_members(tmp_path / "again.zip")
    assert first.keys() == second.keys()
    for name in first.keys() - {"manifest.json"}:
        assert first[name] == second[name], name
    assert again["content_sha256"] == moved["export"]["content_sha256"]
    # Audited both ways; the export logged each person's personal data as exported (PDPA).
    assert AuditLog.objects.filter(action="dataio.fund_import", organisation=fund.organisation).count() == 1
    assert AuditLog.objects.filter(action="dataio.fund_export", organisation=fund.organisation).count() == 1
    assert PersonalDataAccess.objects.filter(kind="export", person__memberships__fund=fund).count() == 5


def test_work_after_the_move_makes_keys_from_natural_keys(moved, system_user, make_user):
    """Payments, reversals and reopening in the moved fund build their entries' keys from the records' own keys,
    never from database ids (ids of the source instance come along inside the imported keys and would collide)."""
    fund_import(actor=system_user, path_or_file=moved["path"])
    fund = Fund.objects.get(organisation__code=CODE)
    book = fund.organisation.book
    assert Claim.objects.get(fund=fund, idempotency_key="h1").entry.idempotency_key == "claim-h1"
    assert JournalEntry.objects.filter(book=book, idempotency_key="reopen-close-2565-1").exists()
    treasurer = make_user("m2_treasurer", Role.FUND_TREASURER, ScopeKind.ORGANISATION, fund.organisation)
    chair = make_user("m2_chair", Role.FUND_CHAIR, ScopeKind.ORGANISATION, fund.organisation,
                      CommitteeMember.objects.get(fund=fund, position="chair").person)
    member = Claim.objects.get(fund=fund, idempotency_key="h1").membership
    claim = welfare.claim_submit(actor=treasurer, membership=member, kind=BenefitKind.objects.get(code="hospital"),
                                 event_date=D(2022, 11, 2), units=1, consent=True, idempotency_key="h3")
    welfare.claim_decide(actor=chair, claim=claim, approve=True)
    paid = welfare.claim_pay(actor=treasurer, claim=claim, date=D(2022, 11, 3))
    assert paid.entry.idempotency_key == "claim-h3"
    ledger.period_reopen(actor=system_user, book=book, fiscal_year=2565, reason="แก้ไขหลังย้ายระบบ")
    assert JournalEntry.objects.filter(book=book, idempotency_key="reopen-close-2565-2").exists()
    call_command("ledger_verify", stdout=io.StringIO())


def test_the_archive_says_what_it_holds(moved):
    members = archive_members(moved["path"])
    manifest = json.loads(members["manifest.json"])
    assert (manifest["format"], manifest["version"], manifest["fund_code"]) == ("chumchon.fund-archive", 2, CODE)
    assert manifest["contains_personal_data"] is True and "PDPA" in manifest["notice_en"]
    assert set(manifest["files"]) == set(members) - {"manifest.json"}
    assert manifest["counts"]["entries"] == len(json.loads(members["entries.json"]))
    people = json.loads(members["people.json"])["people"]
    assert [p["ref"] for p in people if not p["national_id"]] == ["~1"]
    member = next(p for p in people if p["first_name"] == "สมาชิก0")
    assert member["phone"] == "081000000" and member["birth_date"] == "1960-01-02"
    contribution = json.loads(members["contributions.json"])[0]
    assert contribution["amount"] == "730.00" and contribution["entry"] == "contribution-c0"
    entries = {e["key"]: e for e in json.loads(members["entries.json"])}
    assert entries["manual-1-reversed"]["reverses"] == "manual-1"
    assert [e["key"] for e in entries.values() if e["is_closing"]] == ["close-2565-1", "close-2565-2"]
    claims = json.loads(members["claims.json"])
    assert [(c["key"], c["status"], len(c["evidence"])) for c in claims] == [("h1", "paid", 1), ("h2", "rejected", 0)]
    assert members[claims[0]["evidence"][0]["file"]] == EVIDENCE
    assert claims[0]["consent_at"] and claims[0]["decided_at"] and claims[0]["entry"].startswith("claim-")
    assert b'"id"' not in members["memberships.json"]  # natural keys, never database ids


def test_people_already_here_are_reused(moved, make_person):
    with zipfile.ZipFile(moved["path"]) as zf:
        people = json.loads(zf.read("people.json"))["people"]
    here = make_person(first_name="ชื่อเดิมในระบบนี้", national_id=people[0]["ref"])
    summary = fund_import(actor=None, path_or_file=moved["path"])
    assert (summary["people_created"], summary["people_reused"]) == (5, 1)
    assert PersonalData.objects.filter(national_id=people[0]["ref"]).count() == 1
    assert Membership.objects.filter(fund__organisation__code=CODE, person=here).exists()
    # Reused as they are here; the import says whose details differ from the archive (masked).
    assert summary["people_differing"] == [mask(people[0]["ref"])]
    here.refresh_from_db()
    assert here.first_name == "ชื่อเดิมในระบบนี้"


def test_a_person_here_in_another_fund_is_refused_by_name(moved, world, media):
    with zipfile.ZipFile(moved["path"]) as zf:
        people = json.loads(zf.read("people.json"))["people"]
    member_of_a = world["a_people"][0]
    member_of_a.personal_data.national_id = people[0]["ref"]
    member_of_a.personal_data.save()
    before, files = row_counts(), media_files(media)
    with pytest.raises(ArchiveRefused) as exc:
        fund_import(actor=None, path_or_file=moved["path"])
    assert "A-001" in str(exc.value) and "memberships.json" in str(exc.value)
    assert row_counts() == before and media_files(media) == files


# --- cancelled receipts -----------------------------------------------------------------------------------


def test_a_cancelled_receipt_moves_cancelled(moved_cancelled, system_user, tmp_path):
    """A receipt cancelled in the source is cancelled in the target: the same reason, key and correcting entry
    (by its key), the member paid through the same day; a second export holds the same data files."""
    members = archive_members(moved_cancelled["path"])
    assert json.loads(members["manifest.json"])["counts"]["contribution_voids"] == 1
    item = next(x for x in json.loads(members["contributions.json"]) if x["key"] == "c-fy2566")
    assert item["void"]["entry"] == "void-v-fy2566" and item["void"]["reason"] == VOID_REASON
    assert "voided_by" not in item["void"]  # users belong to the instance, as recorded_by does
    summary = fund_import(actor=system_user, path_or_file=moved_cancelled["path"])
    assert summary["status"] == "imported" and summary["contribution_voids"] == 1
    fund = Fund.objects.get(organisation__code=CODE)
    receipt = Contribution.objects.select_related("void__entry", "membership").get(fund=fund,
                                                                                 idempotency_key="c-fy2566")
    void = receipt.void
    assert (void.reason, void.idempotency_key, void.entry.idempotency_key, void.voided_by) == (
        VOID_REASON, "v-fy2566", "void-v-fy2566", None)
    assert void.fund == fund and void.paid_through_after == moved_cancelled["paid_through"]
    assert receipt.membership.paid_through == moved_cancelled["paid_through"] is not None
    assert not Contribution.objects.standing().filter(pk=receipt.pk).exists()
    assert welfare.void_refusal(receipt)[1] == "this receipt is already cancelled"
    assert snapshot(fund) == moved_cancelled["snapshot"]
    call_command("ledger_verify", stdout=io.StringIO())
    fund_export(actor=system_user, fund=fund, path_or_file=tmp_path / "again.zip", purpose=PURPOSE)
    first, second = archive_members(moved_cancelled["path"]), archive_members(tmp_path / "again.zip")
    assert first.keys() == second.keys()
    for name in first.keys() - {"manifest.json"}:
        assert first[name] == second[name], name


def _void_of(contributions) -> dict:
    return next(x for x in contributions if x["void"] is not None)["void"]


def _void_entry(key):
    def edit(contributions):
        _void_of(contributions)["entry"] = key
    return edit


def _void_set(field, value):
    def edit(contributions):
        _void_of(contributions)[field] = value
    return edit


def _void_replaced(value):
    def edit(contributions):
        next(x for x in contributions if x["void"] is not None)["void"] = value
    return edit


@pytest.mark.parametrize(("edit", "th", "en"), [
    (_void_entry("void-missing"), "ไม่พบรายการบัญชี void-missing ใน entries.json",
     "field entry: no entry void-missing in entries.json"),
    (_void_entry("manual-1"), "ยอดรายการบัญชี manual-1 (120.00) ไม่เท่ากับจำนวนเงินของใบเสร็จ (365.00)",
     "field entry: entry manual-1 moves 120.00, not the receipt's amount (365.00)"),
    (_void_entry("contribution-c2"), "รายการบัญชี contribution-c2 เป็นรายการรับเงินสมทบ",
     "field entry: entry contribution-c2 posts receipts: it cannot be the correcting entry of a cancellation"),
    (_void_entry("grant-g1"), "รายการบัญชี grant-g1 ถูกใช้โดย", "entry grant-g1 is already used by"),
    (_void_set("reason", " "), "ช่อง reason: ต้องไม่ว่าง", "field reason: must not be blank"),
    (_void_set("paid_through_after", "30/10/2565"), "ช่อง paid_through_after: วันที่ไม่ถูกต้อง",
     "field paid_through_after: not a date"),
    (_void_set("created", 20221101), "ช่อง created: วันเวลาไม่ถูกต้อง", "field created: not a date and time"),
    (_void_replaced("cancelled"), "รายการต้องเป็นออบเจกต์ JSON", "a record must be a JSON object"),
    (_void_replaced(None), "จำนวน contribution_voids ใน manifest.json (1) ไม่ตรงกับไฟล์ (0)",
     "the count of contribution_voids in manifest.json (1) differs from the files (0)"),
], ids=["missing-entry", "amount-differs", "a-receipts-entry", "entry-used-twice", "blank-reason", "bad-date",
        "bad-time", "not-an-object", "count"])
def test_a_bad_cancellation_is_refused_by_name(moved_cancelled, tmp_path, media, edit, th, en):
    bad = rewrite(moved_cancelled["path"], tmp_path / "bad.zip", {"contributions.json": edit})
    message = _refused(bad, media)
    assert th in message and en in message, message
    assert message.index(th) < message.index(en)
    if "count" not in en:
        assert "contributions.json รายการที่ 8 (RC2566-00001 void)" in message
        assert "contributions.json record 8 (RC2566-00001 void)" in message


def test_two_cancellations_with_one_key_are_refused(moved_cancelled, tmp_path, media):
    def twice(contributions):
        void = _void_of(contributions)
        other = next(x for x in contributions if x["key"] == "c2")
        other["void"] = {**void, "entry": "manual-1"}

    def counted(manifest):
        manifest["counts"]["contribution_voids"] = 2

    bad = rewrite(moved_cancelled["path"], tmp_path / "bad.zip", {"contributions.json": twice,
                                                                 "manifest.json": counted})
    message = _refused(bad, media)
    assert "คีย์การยกเลิกใบเสร็จ v-fy2566 ซ้ำ" in message and "receipt cancellation key v-fy2566 appears twice" in message


def test_an_archive_from_before_cancellations_still_loads(moved, system_user, tmp_path):
    """Archives written before receipts could be cancelled have no "void" on their receipts and no count of
    cancellations: they load as they did."""
    members = archive_members(moved["path"])
    assert all(x["void"] is None for x in json.loads(members["contributions.json"]))
    assert json.loads(members["manifest.json"])["counts"]["contribution_voids"] == 0

    def without_voids(contributions):
        for x in contributions:
            del x["void"]

    def without_count(manifest):
        del manifest["counts"]["contribution_voids"]
        manifest["version"] = 1

    old = rewrite(moved["path"], tmp_path / "old.zip", {"contributions.json": without_voids,
                                                        "manifest.json": without_count})
    summary = fund_import(actor=system_user, path_or_file=old)
    assert summary["status"] == "imported" and summary["contribution_voids"] == 0
    fund = Fund.objects.get(organisation__code=CODE)
    assert snapshot(fund) == moved["snapshot"]
    assert not ContributionVoid.objects.filter(fund=fund).exists()


# --- contribution refunds --------------------------------------------------------------------------------


def test_a_refund_moves_with_its_member(moved_refunded, system_user, tmp_path):
    """A member paid back in the source is paid back in the target: the same voucher, amount, receipts, date and
    entry (by its key), in a fund that still refunds resigning members; a second export holds the same data
    files."""
    members = archive_members(moved_refunded["path"])
    assert json.loads(members["manifest.json"])["counts"]["contribution_refunds"] == 1
    assert json.loads(members["fund.json"])["fund"]["refund_on_resignation"] is True
    item = next(m for m in json.loads(members["memberships.json"]) if m["refund"] is not None)
    refund = item["refund"]
    assert (item["status"], item["ended_on"]) == ("resigned", "2022-11-15")
    assert {k: v for k, v in refund.items() if k != "created"} == {
        "key": "rf-1", "date": "2022-11-20", "amount": "1095.00", "receipts": 2, "voucher_number": "PV2566-00001",
        "entry": "refund-rf-1"}
    assert "paid_by" not in refund  # users belong to the instance, as recorded_by does
    summary = fund_import(actor=system_user, path_or_file=moved_refunded["path"])
    assert summary["status"] == "imported" and summary["contribution_refunds"] == 1
    fund = Fund.objects.get(organisation__code=CODE)
    assert fund.refund_on_resignation is True
    moved = ContributionRefund.objects.select_related("entry", "membership").get(fund=fund)
    assert (moved.membership.member_number, moved.date, moved.amount, moved.receipts, moved.voucher_number,
            moved.entry.idempotency_key, moved.idempotency_key, moved.paid_by) == (
        item["member_number"], D(2022, 11, 20), Decimal("1095.00"), 2, "PV2566-00001", "refund-rf-1", "rf-1", None)
    assert moved.created.isoformat() == refund["created"]
    assert welfare.refund_due(moved.membership)[2][1] == "the contributions were refunded already"
    assert snapshot(fund) == moved_refunded["snapshot"]
    call_command("ledger_verify", stdout=io.StringIO())
    fund_export(actor=system_user, fund=fund, path_or_file=tmp_path / "again.zip", purpose=PURPOSE)
    first, second = archive_members(moved_refunded["path"]), archive_members(tmp_path / "again.zip")
    assert first.keys() == second.keys()
    for name in first.keys() - {"manifest.json"}:
        assert first[name] == second[name], name


def _refunded(memberships) -> dict:
    return next(m for m in memberships if m["refund"] is not None)


def _refund_set(field, value):
    def edit(memberships):
        _refunded(memberships)["refund"][field] = value
    return edit


def _refund_replaced(value):
    def edit(memberships):
        _refunded(memberships)["refund"] = value
    return edit


@pytest.mark.parametrize(("edit", "th", "en"), [
    (_refund_set("entry", "refund-missing"), "ไม่พบรายการบัญชี refund-missing ใน entries.json",
     "field entry: no entry refund-missing in entries.json"),
    (_refund_set("entry", "manual-1"), "ยอดรายการบัญชี manual-1 (120.00) ไม่เท่ากับจำนวนเงินที่คืน (1,095.00)",
     "field entry: entry manual-1 moves 120.00, not the refund's amount (1,095.00)"),
    (_refund_set("amount", "1000.00"), "ยอดรายการบัญชี refund-rf-1 (1,095.00) ไม่เท่ากับจำนวนเงินที่คืน (1,000.00)",
     "field entry: entry refund-rf-1 moves 1,095.00, not the refund's amount (1,000.00)"),
    (_refund_set("entry", "contribution-c2"), "รายการบัญชี contribution-c2 เป็นรายการรับเงินสมทบ",
     "field entry: entry contribution-c2 posts receipts: it cannot be the entry of a contribution refund"),
    (_refund_set("entry", "grant-g1"), "รายการบัญชี grant-g1 ถูกใช้โดย", "entry grant-g1 is already used by"),
    (_refund_set("voucher_number", "PV2565-00001"),
     "ช่อง voucher_number: ใบสำคัญจ่าย PV2565-00001 เป็นของคำขอสวัสดิการ h1 ใน claims.json แล้ว",
     "field voucher_number: voucher PV2565-00001 is already the voucher of claim h1 in claims.json"),
    (_refund_set("voucher_number", " "), "ช่อง voucher_number: ต้องไม่ว่าง", "field voucher_number: must not be blank"),
    (_refund_set("amount", 1095), "ช่อง amount: จำนวนไม่ถูกต้อง", "field amount: not an amount"),
    (_refund_set("receipts", -1), "ช่อง receipts: ต้องเป็นจำนวนเต็ม", "field receipts: must be a whole number"),
    (_refund_set("date", "20/11/2565"), "ช่อง date: วันที่ไม่ถูกต้อง", "field date: not a date"),
    (_refund_replaced("refunded"), "รายการต้องเป็นออบเจกต์ JSON", "a record must be a JSON object"),
    (_refund_replaced(None), "จำนวน contribution_refunds ใน manifest.json (1) ไม่ตรงกับไฟล์ (0)",
     "the count of contribution_refunds in manifest.json (1) differs from the files (0)"),
], ids=["missing-entry", "entry-of-another-amount", "amount-differs", "a-receipts-entry", "entry-used-twice",
        "a-claims-voucher", "blank-voucher", "amount-not-text", "negative-receipts", "bad-date", "not-an-object",
        "count"])
def test_a_bad_refund_is_refused_by_name(moved_refunded, tmp_path, media, edit, th, en):
    bad = rewrite(moved_refunded["path"], tmp_path / "bad.zip", {"memberships.json": edit})
    message = _refused(bad, media)
    assert th in message and en in message, message
    assert message.index(th) < message.index(en)
    if "count" not in en:
        assert "memberships.json รายการที่ 2 (00002 refund)" in message
        assert "memberships.json record 2 (00002 refund)" in message


def test_two_refunds_with_one_key_voucher_and_entry_are_refused(moved_refunded, tmp_path, media):
    def twice(memberships):
        other = next(m for m in memberships if m["status"] == "active")
        other["refund"] = dict(_refunded(memberships)["refund"])

    def counted(manifest):
        manifest["counts"]["contribution_refunds"] = 2

    bad = rewrite(moved_refunded["path"], tmp_path / "bad.zip", {"memberships.json": twice,
                                                                "manifest.json": counted})
    message = _refused(bad, media)
    assert "คีย์การคืนเงินสมทบ rf-1 ซ้ำ" in message and "contribution refund key rf-1 appears twice" in message
    assert "ใบสำคัญจ่าย PV2566-00001 ซ้ำ" in message and "payment voucher PV2566-00001 appears twice" in message
    assert "รายการบัญชี refund-rf-1 ถูกใช้โดย memberships.json" in message
    assert "entry refund-rf-1 is already used by memberships.json" in message


def test_a_refund_setting_that_is_not_true_or_false_is_refused(moved_refunded, tmp_path, media):
    def unclear(fund):
        fund["fund"]["refund_on_resignation"] = "yes"

    message = _refused(rewrite(moved_refunded["path"], tmp_path / "bad.zip", {"fund.json": unclear}), media)
    assert "fund.json รายการที่ 1 (fund) ช่อง refund_on_resignation: ต้องเป็น true หรือ false" in message
    assert "field refund_on_resignation: must be true or false, not 'yes'" in message


def test_an_archive_from_before_refunds_still_loads(moved, system_user, tmp_path):
    """Archives written before funds could refund a resigning member have no "refund" on their members, no count
    of refunds and no refund_on_resignation setting: they load as they did, with no refunds and the setting off."""
    members = archive_members(moved["path"])
    assert all(m["refund"] is None for m in json.loads(members["memberships.json"]))
    assert json.loads(members["manifest.json"])["counts"]["contribution_refunds"] == 0
    assert json.loads(members["fund.json"])["fund"]["refund_on_resignation"] is False

    def without_refunds(memberships):
        for m in memberships:
            del m["refund"]

    def without_setting(fund):
        del fund["fund"]["refund_on_resignation"]

    def without_count(manifest):
        del manifest["counts"]["contribution_refunds"]

    old = rewrite(moved["path"], tmp_path / "old.zip", {"memberships.json": without_refunds,
                                                        "fund.json": without_setting,
                                                        "manifest.json": without_count})
    summary = fund_import(actor=system_user, path_or_file=old)
    assert summary["status"] == "imported" and summary["contribution_refunds"] == 0
    fund = Fund.objects.get(organisation__code=CODE)
    assert fund.refund_on_resignation is False
    assert snapshot(fund) == moved["snapshot"]
    assert not ContributionRefund.objects.filter(fund=fund).exists()


# --- cancelled claim payments -----------------------------------------------------------------------------


def test_a_cancelled_payment_moves_cancelled(moved_payment_cancelled, system_user, tmp_path):
    """A claim whose payment was cancelled in the source arrives paid and cancelled in the target: the same reason,
    key and correcting entry (by its key), no longer a benefit received; a second export holds the same data
    files."""
    members = archive_members(moved_payment_cancelled["path"])
    assert json.loads(members["manifest.json"])["counts"]["claim_payment_voids"] == 1
    item = next(cl for cl in json.loads(members["claims.json"]) if cl["key"] == "h3")
    void = item["payment_void"]
    assert (item["status"], item["amount"], item["entry"]) == ("paid", "200.00", "claim-h3")
    assert {k: v for k, v in void.items() if k != "created"} == {
        "key": "cv-h3", "reason": PAYMENT_VOID_REASON, "entry": "claim-void-cv-h3"}
    assert "voided_by" not in void  # users belong to the instance, as decided_by does
    summary = fund_import(actor=system_user, path_or_file=moved_payment_cancelled["path"])
    assert summary["status"] == "imported" and summary["claim_payment_voids"] == 1
    fund = Fund.objects.get(organisation__code=CODE)
    claim = Claim.objects.select_related("payment_void__entry").get(fund=fund, idempotency_key="h3")
    moved = claim.payment_void
    assert (claim.status, moved.reason, moved.idempotency_key, moved.entry.idempotency_key, moved.voided_by) == (
        "paid", PAYMENT_VOID_REASON, "cv-h3", "claim-void-cv-h3", None)
    assert moved.fund == fund and moved.created.isoformat() == void["created"]
    assert list(Claim.objects.filter(fund=fund).paid().values_list("idempotency_key", flat=True)) == ["h1"]
    assert welfare.claim_void_refusal(claim)[1] == "this payment is already cancelled"
    assert snapshot(fund) == moved_payment_cancelled["snapshot"]
    call_command("ledger_verify", stdout=io.StringIO())
    fund_export(actor=system_user, fund=fund, path_or_file=tmp_path / "again.zip", purpose=PURPOSE)
    first, second = archive_members(moved_payment_cancelled["path"]), archive_members(tmp_path / "again.zip")
    assert first.keys() == second.keys()
    for name in first.keys() - {"manifest.json"}:
        assert first[name] == second[name], name


def _cancelled(claims) -> dict:
    return next(cl for cl in claims if cl["payment_void"] is not None)


def _payment_void_set(field, value):
    def edit(claims):
        _cancelled(claims)["payment_void"][field] = value
    return edit


def _payment_void_replaced(value):
    def edit(claims):
        _cancelled(claims)["payment_void"] = value
    return edit


@pytest.mark.parametrize(("edit", "th", "en"), [
    (_payment_void_set("entry", "claim-void-missing"), "ไม่พบรายการบัญชี claim-void-missing ใน entries.json",
     "field entry: no entry claim-void-missing in entries.json"),
    (_payment_void_set("entry", "manual-1"),
     "ยอดรายการบัญชี manual-1 (120.00) ไม่เท่ากับจำนวนเงินที่จ่ายตามคำขอ (200.00)",
     "field entry: entry manual-1 moves 120.00, not the claim's amount (200.00)"),
    (_payment_void_set("entry", "contribution-c2"), "รายการบัญชี contribution-c2 เป็นรายการรับเงินสมทบ",
     "field entry: entry contribution-c2 posts receipts: it cannot be the correcting entry of a payment's "
     "cancellation"),
    (_payment_void_set("entry", "grant-g1"), "รายการบัญชี grant-g1 ถูกใช้โดย grants.json",
     "field entry: entry grant-g1 is already used by grants.json"),
    (_payment_void_set("entry", "claim-h1"), "รายการบัญชี claim-h1 ถูกใช้โดย claims.json 1 (h1) แล้ว",
     "field entry: entry claim-h1 is already used by claims.json 1 (h1)"),
    (_payment_void_set("entry", "claim-h3"), "รายการบัญชี claim-h3 เป็นรายการจ่ายของคำขอนี้เอง",
     "field entry: entry claim-h3 is the claim's own payment entry: it cannot be the correcting entry of its "
     "cancellation"),
    (_payment_void_set("reason", " "), "ช่อง reason: ต้องไม่ว่าง", "field reason: must not be blank"),
    (_payment_void_set("reason", "ผ" * 201), "ช่อง reason: ยาวเกิน 200 ตัวอักษร",
     "field reason: longer than 200 characters"),
    (_payment_void_set("key", 7), "ช่อง key: ต้องเป็นข้อความ", "field key: must be text, not 7"),
    (_payment_void_set("created", "2022-11-03"), "ช่อง created: วันเวลาต้องระบุเขตเวลา",
     "field created: the date and time needs a time zone"),
    (_payment_void_replaced("cancelled"), "รายการต้องเป็นออบเจกต์ JSON", "a record must be a JSON object"),
    (_payment_void_replaced(None), "จำนวน claim_payment_voids ใน manifest.json (1) ไม่ตรงกับไฟล์ (0)",
     "the count of claim_payment_voids in manifest.json (1) differs from the files (0)"),
], ids=["missing-entry", "entry-of-another-amount", "a-receipts-entry", "entry-used-twice", "another-claims-entry",
        "the-claims-own-entry", "blank-reason", "long-reason", "key-not-text", "time-without-zone", "not-an-object",
        "count"])
def test_a_bad_payment_cancellation_is_refused_by_name(moved_payment_cancelled, tmp_path, media, edit, th, en):
    bad = rewrite(moved_payment_cancelled["path"], tmp_path / "bad.zip", {"claims.json": edit})
    message = _refused(bad, media)
    assert th in message and en in message, message
    assert message.index(th) < message.index(en)
    if "count" not in en:
        assert "claims.json รายการที่ 3 (h3 payment_void)" in message
        assert "claims.json record 3 (h3 payment_void)" in message


def test_a_cancellation_of_a_claim_not_paid_is_refused(moved_payment_cancelled, tmp_path, media):
    """The rejected claim h2 cannot have had its payment cancelled: it was never paid. (Its amount is made the
    correcting entry's 200.00, so that the status is the one thing wrong.)"""
    def onto_the_rejected_claim(claims):
        rejected = next(cl for cl in claims if cl["key"] == "h2")
        assert (rejected["status"], rejected["entry"]) == ("rejected", None)
        cancelled = _cancelled(claims)
        rejected["amount"], rejected["payment_void"] = "200.00", cancelled["payment_void"]
        cancelled["payment_void"] = None

    message = _refused(rewrite(moved_payment_cancelled["path"], tmp_path / "bad.zip",
                               {"claims.json": onto_the_rejected_claim}), media)
    assert ("claims.json รายการที่ 2 (h2) ช่อง payment_void: คำขอนี้มีสถานะ rejected: "
            "ยกเลิกการจ่ายได้เฉพาะคำขอที่จ่ายแล้ว") in message
    assert ("claims.json record 2 (h2) field payment_void: only a paid claim's payment can be cancelled, and this "
            "claim is rejected") in message
    assert len(message.splitlines()) == 1, message


def test_two_payment_cancellations_with_one_key_and_entry_are_refused(moved_payment_cancelled, tmp_path, media):
    def twice(claims):
        next(cl for cl in claims if cl["key"] == "h1")["payment_void"] = dict(_cancelled(claims)["payment_void"])

    def counted(manifest):
        manifest["counts"]["claim_payment_voids"] = 2

    bad = rewrite(moved_payment_cancelled["path"], tmp_path / "bad.zip", {"claims.json": twice,
                                                                         "manifest.json": counted})
    message = _refused(bad, media)
    assert "คีย์การยกเลิกใบสำคัญจ่าย cv-h3 ซ้ำ" in message and "payment cancellation key cv-h3 appears twice" in message
    assert "รายการบัญชี claim-void-cv-h3 ถูกใช้โดย claims.json 1 (h1 payment_void) แล้ว" in message
    assert "entry claim-void-cv-h3 is already used by claims.json 1 (h1 payment_void)" in message


def test_an_archive_from_before_payment_cancellations_still_loads(moved, system_user, tmp_path):
    """Archives written before claim payments could be cancelled have no "payment_void" on their claims and no count
    of cancelled payments: they load as they did, every paid claim standing."""
    members = archive_members(moved["path"])
    assert all(cl["payment_void"] is None for cl in json.loads(members["claims.json"]))
    assert json.loads(members["manifest.json"])["counts"]["claim_payment_voids"] == 0

    def without_cancellations(claims):
        for cl in claims:
            del cl["payment_void"]

    def without_count(manifest):
        del manifest["counts"]["claim_payment_voids"]

    old = rewrite(moved["path"], tmp_path / "old.zip", {"claims.json": without_cancellations,
                                                        "manifest.json": without_count})
    summary = fund_import(actor=system_user, path_or_file=old)
    assert summary["status"] == "imported" and summary["claim_payment_voids"] == 0
    fund = Fund.objects.get(organisation__code=CODE)
    assert snapshot(fund) == moved["snapshot"]
    assert not ClaimPaymentVoid.objects.filter(fund=fund).exists()
    assert list(Claim.objects.filter(fund=fund).paid().values_list("idempotency_key", flat=True)) == ["h1"]


# --- the same archive again, a code that is taken ---------------------------------------------------------


def test_the_same_archive_again_changes_nothing(moved, media):
    assert fund_import(actor=None, path_or_file=moved["path"])["status"] == "imported"
    before, files = row_counts(), media_files(media)
    assert fund_import(actor=None, path_or_file=moved["path"])["status"] == "already imported"
    assert row_counts() == before and media_files(media) == files
    out = io.StringIO()
    call_command("fund_import", str(moved["path"]), stdout=out)
    assert "already imported" in out.getvalue()


def test_a_fund_code_that_exists_here_is_refused(system_user, make_person, make_user, tmp_path, media):
    fund = build_fund(system_user, make_person, make_user)
    path = tmp_path / "m.zip"
    fund_export(actor=system_user, fund=fund, path_or_file=path, purpose=PURPOSE)
    before, files = row_counts(), media_files(media)
    with pytest.raises(ArchiveRefused) as exc:
        fund_import(actor=system_user, path_or_file=path)
    assert f"รหัส {CODE}" in str(exc.value) and f"code {CODE}" in str(exc.value)
    assert row_counts() == before and media_files(media) == files


# --- damaged and tampered archives ------------------------------------------------------------------------


def _refused(path, media) -> str:
    before, files = row_counts(), media_files(media)
    with pytest.raises(ArchiveRefused) as exc:
        fund_import(actor=None, path_or_file=path)
    assert row_counts() == before and media_files(media) == files, "nothing written"
    return str(exc.value)


def _first_contribution_amount(data):
    data[0]["amount"] = "731.00"


def test_a_changed_amount_without_a_new_sha256_is_refused(moved, tmp_path, media):
    bad = rewrite(moved["path"], tmp_path / "bad.zip", {"contributions.json": _first_contribution_amount},
                  fix_sha=False)
    message = _refused(bad, media)
    assert "contributions.json" in message and "sha256" in message


def test_a_changed_amount_with_a_new_sha256_is_still_refused(moved, tmp_path, media):
    """Whoever edits the archive and its checksums still meets the books: the receipt no longer matches the
    entry that posted it."""
    bad = rewrite(moved["path"], tmp_path / "bad.zip", {"contributions.json": _first_contribution_amount})
    message = _refused(bad, media)
    assert "entries.json" in message and "contributions.json" in message and "731.00" in message


def test_an_unbalanced_entry_is_refused_by_name(moved, tmp_path, media):
    def unbalance(entries):
        entry = next(e for e in entries if e["key"] == "grant-g1")
        entry["lines"][0]["debit"] = "5000.00"

    message = _refused(rewrite(moved["path"], tmp_path / "bad.zip", {"entries.json": unbalance}), media)
    assert "entries.json" in message and "(grant-g1)" in message and "does not balance" in message
    assert "ไม่สมดุล" in message and message.index("ไม่สมดุล") < message.index("does not balance")


def test_totals_that_do_not_match_the_lines_are_refused(moved, tmp_path, media):
    def inflate(book):
        cash = next(a for a in book["accounts"] if a["code"] == "1101")
        cash["debit_total"] = "999999.00"

    message = _refused(rewrite(moved["path"], tmp_path / "bad.zip", {"book.json": inflate}), media)
    assert "book.json accounts" in message and "1101" in message and "debit_total" in message


def test_an_unknown_subdistrict_is_refused(moved, tmp_path, media):
    def elsewhere(people):
        people["people"][0]["subdistrict"] = "999999"

    message = _refused(rewrite(moved["path"], tmp_path / "bad.zip", {"people.json": elsewhere}), media)
    assert "999999" in message and "load_geography" in message


def test_a_reference_that_resolves_to_nothing_is_refused(moved, tmp_path, media):
    def stranger(memberships):
        memberships[0]["person"] = "~99"

    message = _refused(rewrite(moved["path"], tmp_path / "bad.zip", {"memberships.json": stranger}), media)
    assert "memberships.json" in message and "~99" in message and "field person" in message


def test_a_bad_field_is_named(moved, tmp_path, media):
    def bad_date(claims):
        claims[0]["event_date"] = "2565-13-40"

    message = _refused(rewrite(moved["path"], tmp_path / "bad.zip", {"claims.json": bad_date}), media)
    assert "claims.json" in message and "field event_date" in message and "2565-13-40" in message


def test_another_format_version_is_refused(moved, tmp_path, media):
    def future(manifest):
        manifest["version"] = 3

    bad = rewrite(moved["path"], tmp_path / "bad.zip", {"manifest.json": future}, fix_sha=False)
    assert "version" in _refused(bad, media)


def test_a_file_that_is_not_an_archive_is_unreadable(tmp_path, media):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(ArchiveUnreadable) as exc:
        fund_import(actor=None, path_or_file=junk)
    assert exc.value.exit_code == 2 and "zip" in str(exc.value)
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(ArchiveUnreadable):
        fund_import(actor=None, path_or_file=empty)


def test_dry_run_writes_nothing(moved, media):
    before, files = row_counts(), media_files(media)
    summary = fund_import(actor=None, path_or_file=moved["path"], dry_run=True)
    assert summary["status"] == "checked" and summary["people_created"] == 6
    assert row_counts() == before and media_files(media) == files


# --- who may ----------------------------------------------------------------------------------------------


def test_who_may_export_and_import(system_user, make_person, make_user, world, tmp_path):
    fund = build_fund(system_user, make_person, make_user)
    with pytest.raises(PermissionDenied):
        fund_export(actor=world["users"]["committee_b"], fund=fund, path_or_file=tmp_path / "b.zip", purpose=PURPOSE)
    with pytest.raises(PermissionDenied):  # the province may change records, but not carry a whole fund away
        fund_export(actor=world["users"]["province_a"], fund=fund, path_or_file=tmp_path / "p.zip", purpose=PURPOSE)
    national_staff = make_user("nat_staff", Role.NATIONAL_STAFF, ScopeKind.NATIONAL)
    with pytest.raises(PermissionDenied):  # national staff change records but do not see unmasked personal data
        fund_export(actor=national_staff, fund=fund, path_or_file=tmp_path / "n.zip", purpose=PURPOSE)
    treasurer = fund.organisation.role_assignments.get(role=Role.FUND_TREASURER).user
    with pytest.raises(ValidationError) as exc:  # personal data leaves only with a purpose
        fund_export(actor=treasurer, fund=fund, path_or_file=tmp_path / "t.zip")
    assert "purpose" in exc.value.message_dict
    summary = fund_export(actor=treasurer, fund=fund, path_or_file=tmp_path / "t.zip", purpose=PURPOSE)
    assert summary["counts"]["people"] == 6
    accesses = PersonalDataAccess.objects.filter(actor=treasurer, kind="export")
    assert accesses.count() == 6 and set(accesses.values_list("purpose", flat=True)) == {PURPOSE}
    with pytest.raises(PermissionDenied):
        fund_import(actor=treasurer, path_or_file=tmp_path / "t.zip")


# --- the commands -----------------------------------------------------------------------------------------


def test_commands_exit_codes(moved, system_user, tmp_path, world):
    with pytest.raises(SystemExit) as exc:
        call_command("fund_export", "NO-SUCH", str(tmp_path / "x.zip"), stderr=io.StringIO())
    assert exc.value.code == 1
    with pytest.raises(CommandError) as err:
        call_command("fund_import", str(tmp_path / "missing.zip"))
    assert err.value.returncode == 2
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(SystemExit) as exc:
        call_command("fund_import", str(junk), stderr=io.StringIO())
    assert exc.value.code == 2
    bad = rewrite(moved["path"], tmp_path / "bad.zip", {"contributions.json": _first_contribution_amount},
                  fix_sha=False)
    err_out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("fund_import", str(bad), stderr=err_out)
    assert exc.value.code == 1 and "sha256" in err_out.getvalue() and "nothing was written" in err_out.getvalue()
    out = io.StringIO()
    call_command("fund_import", str(moved["path"]), "--user", system_user.username, stdout=out)
    assert "imported" in out.getvalue()
    out = io.StringIO()
    call_command("fund_export", CODE, str(tmp_path / "out.zip"), "--user", system_user.username, stdout=out)
    assert (tmp_path / "out.zip").is_file() and "personal data" in out.getvalue()


@pytest.mark.slow
def test_the_move_into_a_separate_instance(moved, tmp_path):
    """The archive goes into a brand-new instance (its own SQLite database, migrated and loaded with the standard
    geography) through the commands; there the books verify and a second export holds the same data files.
    About 20 s (a fresh instance is migrated): runs in CI, or with RUN_SLOW=1."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CHUMCHON_VAR_DIR=str(tmp_path / "other"), CHUMCHON_TESTING="1")
    chumchon = [sys.executable, "-m", "chumchon.cli"]

    def run(*args):
        return subprocess.run([*chumchon, *args], env=env, capture_output=True, text=True, timeout=300)

    assert run("migrate", "-v0").returncode == 0
    assert run("load_geography").returncode == 0
    done = run("fund_import", str(moved["path"]))
    assert done.returncode == 0, done.stderr
    assert "6 people new" in done.stdout
    assert run("ledger_verify").returncode == 0
    again = run("fund_import", str(moved["path"]))
    assert again.returncode == 0 and "already imported" in again.stdout
    out = tmp_path / "from-other.zip"
    assert run("fund_export", CODE, str(out)).returncode == 0
    first, second = archive_members(moved["path"]), archive_members(out)
    assert first.keys() == second.keys()
    for name in first.keys() - {"manifest.json"}:
        assert first[name] == second[name], name


# --- the web action ---------------------------------------------------------------------------------------


def test_the_fund_page_exports_the_archive(world, client, login, make_user, media):
    fund = world["fund_a"]
    url = reverse("dataio:fund_archive", args=[fund.code])
    treasurer = world["users"]["committee_a"]
    login(treasurer)
    page = client.get(reverse("welfare:fund_detail", args=[fund.code])).content.decode()
    assert url in page
    response = client.post(url, {"purpose": PURPOSE})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"] and fund.code in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
        assert json.loads(zf.read("manifest.json"))["fund_code"] == fund.code
    assert AuditLog.objects.filter(action="dataio.fund_export", actor=treasurer).count() == 1
    without = client.post(url, {"purpose": ""})
    assert without.status_code == 302 and AuditLog.objects.filter(action="dataio.fund_export").count() == 1
    client.logout()
    login(world["users"]["committee_b"])
    assert client.post(url, {"purpose": PURPOSE}).status_code == 404
    client.logout()
    staff = make_user("nat_staff", Role.NATIONAL_STAFF, ScopeKind.NATIONAL)
    login(staff)
    assert url not in client.get(reverse("welfare:fund_detail", args=[fund.code])).content.decode()
    assert client.post(url, {"purpose": PURPOSE}).status_code == 403


@pytest.mark.parametrize(("fixture", "file", "find", "th", "en"), [
    ("moved_cancelled", "contributions.json", lambda data: next(x["void"]["entry"] for x in data if x["void"]),
     "ไม่ใช่บรรทัดของรายการปรับปรุงของการยกเลิกใบเสร็จ", "are not those of the correcting entry of a cancellation"),
    ("moved_refunded", "memberships.json", lambda data: next(m["refund"]["entry"] for m in data if m["refund"]),
     "ไม่ใช่บรรทัดของรายการจ่ายคืนเงินสมทบ", "are not those of the entry of a contribution refund"),
    ("moved_payment_cancelled", "claims.json",
     lambda data: next(cl["payment_void"]["entry"] for cl in data if cl["payment_void"]),
     "ไม่ใช่บรรทัดของรายการปรับปรุงของการยกเลิกใบสำคัญจ่าย",
     "are not those of the correcting entry of a payment's cancellation"),
], ids=["receipt-cancellation", "refund", "payment-cancellation"])
def test_a_correcting_entry_of_the_right_total_but_other_lines_is_refused(request, tmp_path, media, fixture, file,
                                                                         find, th, en):
    """The books take any balanced entry; a fund's history may not: a receipt's cancellation is Dr 4101 / Cr the
    cash its receipt went to, a refund Dr 5303 / Cr cash or bank, a payment's cancellation its payment's lines the
    other way round. The same amount debited to another account is refused by name."""
    moved = request.getfixturevalue(fixture)
    with zipfile.ZipFile(moved["path"]) as zf:
        key = find(json.loads(zf.read(file)))

    def elsewhere(entries):
        entry = next(e for e in entries if e["key"] == key)
        debit = next(line for line in entry["lines"] if Decimal(line["debit"]) > 0)
        debit["account"] = "1102" if debit["account"] == "1101" else "1101"

    message = _refused(rewrite(moved["path"], tmp_path / "bad.zip", {"entries.json": elsewhere}), media)
    assert th in message and en in message and f"entry {key}" in message, message
