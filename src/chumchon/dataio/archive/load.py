"""Importing a fund archive into this instance: checked whole first, then written in one transaction, the books
re-posted through the ledger's own posting so every database rule holds."""

from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction

from chumchon.core import changes
from chumchon.core.audit import audit_record
from chumchon.core.models import AuditLog, Organisation
from chumchon.core.thai import national_id as nid
from chumchon.dataio.archive import common as c
from chumchon.dataio.archive.checks import Archive, read_archive
from chumchon.dataio.archive.common import Problem
from chumchon.geo import services as geo_services
from chumchon.geo.models import LocalAdministration, Subdistrict
from chumchon.ledger import services as ledger
from chumchon.ledger.models import Account, Book, Period
from chumchon.people.models import Household, Person, PersonalData
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

IMPORT_ACTION = "dataio.fund_import"
BATCH = 1000


def _refused(problems) -> c.ArchiveRefused:
    return c.ArchiveRefused(problems)


def already_imported(archive: Archive) -> Organisation | None:
    """The organisation this very archive (same content digest) was imported into before, if any."""
    org = Organisation.objects.filter(code=archive.code).first()
    if org is None:
        return None
    for data in AuditLog.objects.filter(action=IMPORT_ACTION, organisation=org).values_list("data", flat=True):
        if isinstance(data, dict) and data.get("content_sha256") == archive.digest:
            return org
    return None


class _Target:
    """What the archive meets in this instance: the areas and benefit kinds it needs, the people and households
    that are here already. Problems are collected, then refused together."""

    def __init__(self, archive: Archive) -> None:
        self.a = archive
        self.problems: list[Problem] = []

    def check(self) -> "_Target":
        a = self.a
        if Organisation.objects.filter(code=a.code).exists():
            self.problems.append(Problem(
                f"มีกองทุนหรือองค์กรรหัส {a.code} ในระบบนี้อยู่แล้ว: ไฟล์นี้ไม่เคยนำเข้าที่นี่ จึงนำเข้าทับไม่ได้",
                f"this instance already has a fund or organisation with code {a.code}, not imported from this archive: "
                "it cannot be imported over it", c.FUND, "organisation", "code"))
        elif Book.objects.filter(code=a.book["code"]).exists():
            self.problems.append(Problem(f"มีสมุดบัญชีรหัส {a.book['code']} ในระบบนี้อยู่แล้ว",
                                         f"this instance already has a book with code {a.book['code']}", c.BOOK,
                                         "book", "code"))
        self._areas()
        kinds = set(BenefitKind.objects.filter(code__in=a.kind_codes()).values_list("code", flat=True))
        for code in sorted(a.kind_codes() - kinds):
            self.problems.append(Problem(f"ไม่รู้จักประเภทสวัสดิการ {code} ในระบบนี้", f"no benefit kind {code} here",
                                         c.FUND, field="kind"))
        self.kinds = {k.code: k for k in BenefitKind.objects.filter(code__in=kinds)}
        self._local_administration()
        self._households()
        self._people()
        return self

    def _areas(self) -> None:
        a = self.a
        found = set(Subdistrict.objects.filter(code__in=a.subdistrict_codes()).values_list("code", flat=True))
        missing = a.subdistrict_codes() - found
        seen = set()

        def report(code, file, record, field):
            if code in missing and code not in seen:
                seen.add(code)
                self.problems.append(Problem(
                    f"ไม่พบตำบลรหัส {code} ในระบบนี้ (โหลดข้อมูลพื้นที่มาตรฐานด้วย chumchon load_geography)",
                    f"no subdistrict {code} in this instance (load the standard geography: chumchon load_geography)",
                    file, record, field))

        report(a.organisation["subdistrict"], c.FUND, "organisation", "subdistrict")
        if a.local_administration:
            for code in [a.local_administration["subdistrict"], *a.local_administration["covers"]]:
                report(code, c.FUND, "local_administration", "subdistrict")
        for n, h in enumerate(a.households, start=1):
            report(h["subdistrict"], f"{c.PEOPLE} households", f"{n} ({h['code']})", "subdistrict")
        for p in a.people:
            report(p["subdistrict"], p["_r"].file, p["_r"].label, "subdistrict")

    def _local_administration(self) -> None:
        la = self.a.local_administration
        self.la = None
        if la is None:
            return
        if la["dla_code"]:
            self.la = LocalAdministration.objects.filter(dla_code=la["dla_code"]).first()
        if self.la is None:
            self.la = LocalAdministration.objects.filter(subdistrict_id=la["subdistrict"],
                                                         name_th=la["name_th"]).first()

    def _households(self) -> None:
        existing = {h.code: h for h in Household.objects.filter(code__in=[h["code"] for h in self.a.households])}
        for n, h in enumerate(self.a.households, start=1):
            here = existing.get(h["code"])
            if here is not None and here.subdistrict_id != h["subdistrict"]:
                self.problems.append(Problem(
                    f"มีครัวเรือนรหัส {h['code']} ในระบบนี้แล้ว แต่อยู่ตำบลอื่น ({here.subdistrict_id})",
                    f"household {h['code']} exists here in another subdistrict ({here.subdistrict_id})",
                    f"{c.PEOPLE} households", f"{n} ({h['code']})", "code"))
        self.households = existing

    def _people(self) -> None:
        numbers = [p["national_id"] for p in self.a.people if p["national_id"]]
        self.existing: dict[str, Person] = {}
        for i in range(0, len(numbers), BATCH):
            for pd in PersonalData.objects.filter(national_id__in=numbers[i:i + BATCH]).select_related("person"):
                self.existing[pd.national_id] = pd.person
        active_here = {m["person"] for m in self.a.memberships if m["status"] == Membership.Status.ACTIVE}
        reused = [self.existing[ref] for ref in active_here if ref in self.existing]
        elsewhere = {}
        for i in range(0, len(reused), BATCH):
            for m in (Membership.objects.filter(person__in=reused[i:i + BATCH], status=Membership.Status.ACTIVE)
                      .select_related("fund__organisation", "person__personal_data")):
                elsewhere[m.person.personal_data.national_id] = m.fund.code
        for m in self.a.memberships:
            if m["person"] in elsewhere and m["status"] == Membership.Status.ACTIVE:
                self.problems.append(Problem(
                    f"บุคคล {nid.mask(m['person'])} มีอยู่ในระบบนี้แล้วและเป็นสมาชิกกองทุน {elsewhere[m['person']]} อยู่: "
                    "ให้สิ้นสุดสมาชิกภาพที่นั่นก่อน (หนึ่งคนเป็นสมาชิกได้หนึ่งกองทุน)",
                    f"person {nid.mask(m['person'])} exists here and is an active member of fund "
                    f"{elsewhere[m['person']]}: end that membership first (one active fund per person)",
                    m["_r"].file, m["_r"].label, "person"))
        self.differing = []
        for p in self.a.people:
            person = self.existing.get(p["ref"])
            if person is not None and (person.first_name, person.last_name, person.birth_date) != (
                    p["first_name"], p["last_name"], p["birth_date"]):
                self.differing.append(nid.mask(p["ref"]))


def _restore(objects: list, values: list, field: str) -> None:
    """Put back a timestamp that ``auto_now_add`` overwrote on insert (when the record was first made): one
    prepared UPDATE run for every row (``bulk_update`` builds a CASE per row and cost seconds per thousands)."""
    if not objects:
        return
    meta, qn, ops = objects[0]._meta, connection.ops.quote_name, connection.ops
    table, column, pk = qn(meta.db_table), qn(meta.get_field(field).column), qn(meta.pk.column)
    sql = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s"  # noqa: S608 - names from the model, values bound
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(ops.adapt_datetimefield_value(value), obj.pk)
                                 for obj, value in zip(objects, values, strict=True)])
    for obj, value in zip(objects, values, strict=True):
        setattr(obj, field, value)


class _Writer:
    def __init__(self, actor, archive: Archive, target: _Target) -> None:
        self.actor, self.a, self.t = actor, archive, target
        self.saved_files: list[str] = []
        self.counts: dict[str, int] = {}

    def write(self) -> Fund:
        a = self.a
        la = self.t.la
        if a.local_administration and la is None:
            spec = a.local_administration
            la = geo_services.local_administration_create(
                actor=self.actor, name_th=spec["name_th"], name_en=spec["name_en"], kind=spec["kind"],
                subdistrict=Subdistrict.objects.get(code=spec["subdistrict"]), dla_code=spec["dla_code"],
                covers=list(Subdistrict.objects.filter(code__in=spec["covers"])))
        o = a.organisation
        self.org = Organisation.objects.create(code=o["code"], kind=o["kind"], name_th=o["name_th"],
                                               name_en=o["name_en"], subdistrict_id=o["subdistrict"],
                                               local_administration=la)
        self.fund = Fund.objects.create(organisation=self.org, **a.fund)
        self._people()
        self._members()
        self._rules()
        self._books()
        self._welfare()
        self._claims()
        self._refunds()
        changes.organisation_changed(self.org.pk)  # the new fund's summaries, after the import commits
        return self.fund

    def _people(self) -> None:
        a, here = self.a, self.org
        households = dict(self.t.households)
        new = [Household(code=h["code"], house_number=h["house_number"], village_number=h["village_number"],
                         subdistrict_id=h["subdistrict"], registered_by=here if h["registered_here"] else None)
               for h in a.households if h["code"] not in households]
        for h in Household.objects.bulk_create(new, batch_size=BATCH):
            households[h.code] = h
        self.people = dict(self.t.existing)
        fresh = [p for p in a.people if p["ref"] not in self.people]
        persons = Person.objects.bulk_create([Person(
            title=p["title"], first_name=p["first_name"], last_name=p["last_name"], birth_date=p["birth_date"],
            sex=p["sex"], house_number=p["house_number"], village_number=p["village_number"],
            subdistrict_id=p["subdistrict"], household=households[p["household"]] if p["household"] else None,
            registered_by=here if p["registered_here"] else None, death_date=p["death_date"],
        ) for p in fresh], batch_size=BATCH)
        PersonalData.objects.bulk_create([PersonalData(
            person=person, national_id=p["national_id"], phone=p["phone"], email=p["email"], line_id=p["line_id"],
            consent_health_data=p["consent_health_data"],
        ) for person, p in zip(persons, fresh, strict=True)], batch_size=BATCH)
        for person, p in zip(persons, fresh, strict=True):
            self.people[p["ref"]] = person
        self.counts.update(people_created=len(fresh), people_reused=len(a.people) - len(fresh),
                           households_created=len(new), households_reused=len(a.households) - len(new))

    def _members(self) -> None:
        a, fund = self.a, self.fund
        made = Membership.objects.bulk_create([Membership(
            fund=fund, person=self.people[m["person"]], member_number=m["member_number"], joined_on=m["joined_on"],
            status=m["status"], ended_on=m["ended_on"], village_number=m["village_number"],
            paid_through=m["paid_through"], lapse_notice_on=m["lapse_notice_on"],
        ) for m in a.memberships], batch_size=BATCH)
        self.members = {m.member_number: m for m in made}
        Dependant.objects.bulk_create([
            Dependant(membership=self.members[m["member_number"]], person=self.people[d["person"]],
                      relation=d["relation"])
            for m in a.memberships for d in m["dependants"]], batch_size=BATCH)
        CommitteeMember.objects.bulk_create([CommitteeMember(
            fund=fund, person=self.people[s["person"]], position=s["position"], term_start=s["term_start"],
            term_end=s["term_end"]) for s in a.committee])
        self.counts.update(memberships=len(made), committee=len(a.committee))

    def _rules(self) -> None:
        a, fund = self.a, self.fund
        terms = [{k: v for k, v in r.items() if k not in ("kind", "created", "_label")} for r in a.rules]
        rules = BenefitRule.objects.bulk_create([
            BenefitRule(fund=fund, kind=self.t.kinds[r["kind"]], **t) for r, t in zip(a.rules, terms, strict=True)])
        _restore(rules, [r["created"] for r in a.rules], "created")
        self.rules = {(r.kind.code, r.effective_from): r for r in rules}
        ReceiptSequence.objects.bulk_create([ReceiptSequence(fund=fund, **s) for s in a.sequences])

    def _books(self) -> None:
        """The book and its chart as exported (totals start at zero), every entry re-posted in its original order
        through the ledger's posting, then the closed periods closed again and retired accounts retired."""
        a = self.a
        book = Book.objects.create(code=a.book["code"], name_th=a.book["name_th"], template=a.book["template"],
                                   organisation=self.org)
        Account.objects.bulk_create([Account(
            book=book, code=x["code"], name_th=x["name_th"], name_en=x["name_en"], type=x["type"],
            fund_source=x["fund_source"], standard_code=x["standard_code"], is_cash=x["is_cash"],
        ) for x in a.accounts])
        accounts = {x.code: x for x in Account.objects.filter(book=book)}
        for year in sorted({p["fiscal_year"] for p in a.periods}):
            ledger.periods_ensure(book, year)
        self.entries = {}
        for e in a.entries:
            try:
                self.entries[e["key"]] = ledger.entry_post(
                    actor=self.actor, book=book, date=e["date"], memo=e["memo"], reference=e["reference"],
                    idempotency_key=e["key"], is_closing=e["is_closing"],
                    reverses=self.entries[e["reverses"]] if e["reverses"] else None,
                    lines=[ledger.LineSpec(accounts[x["account"]], debit=x["debit"], credit=x["credit"],
                                           memo=x["memo"]) for x in e["lines"]])
            except ValidationError as exc:
                raise _refused(Problem(f"บันทึกบัญชีไม่ได้: {' '.join(exc.messages)}",
                                       f"the entry cannot be posted: {' '.join(exc.messages)}",
                                       c.ENTRIES, e["_r"].label)) from exc
        closed: dict[int, list[int]] = {}
        for p in a.periods:
            if p["status"] == Period.Status.CLOSED:
                closed.setdefault(p["fiscal_year"], []).append(p["month"])
        for year, months in closed.items():
            if len(months) == 12 and ledger.closing_lines(book, year):
                raise _refused(Problem(
                    f"ปีงบประมาณ {year} ปิดบัญชีแล้ว แต่รายได้และค่าใช้จ่ายของปียังไม่ได้โอนปิดครบ",
                    f"fiscal year {year} is closed but its income and expenses are not fully closed out",
                    c.PERIODS, field="status"))
            Period.objects.filter(book=book, fiscal_year=year, month__in=months).update(status=Period.Status.CLOSED)
        retired = [x["code"] for x in a.accounts if not x["is_active"]]
        Account.objects.filter(book=book, code__in=retired).update(is_active=False)
        for x in a.accounts:
            account = Account.objects.get(pk=accounts[x["code"]].pk)
            if (account.debit_total, account.credit_total) != (x["debit_total"], x["credit_total"]):
                raise _refused(Problem(
                    f"ยอดบัญชี {x['code']} หลังนำเข้า ({account.debit_total:,.2f}/{account.credit_total:,.2f}) "
                    f"ไม่เท่ากับยอดที่ส่งออก ({x['debit_total']:,.2f}/{x['credit_total']:,.2f})",
                    f"account {x['code']} after import ({account.debit_total:,.2f}/{account.credit_total:,.2f}) "
                    f"differs from the exported totals ({x['debit_total']:,.2f}/{x['credit_total']:,.2f})",
                    c.BOOK, x["_r"].label, "debit_total"))
        self.counts.update(accounts=len(accounts), entries=len(self.entries),
                           periods_closed=sum(len(m) for m in closed.values()))

    def _welfare(self) -> None:
        # Money documents are written with their own times (``created`` is a default on them, and their tables
        # refuse the UPDATE that _restore would make afterwards).
        a, fund, entries = self.a, self.fund, self.entries
        sheets = CollectionSheet.objects.bulk_create([CollectionSheet(
            fund=fund, village_number=s["village_number"], date=s["date"], status=s["status"],
            entry=entries[s["entry"]] if s["entry"] else None, idempotency_key=s["key"], created=s["created"])
            for s in a.sheets])
        by_key = {s.idempotency_key: s for s in sheets}
        contributions = Contribution.objects.bulk_create([Contribution(
            fund=fund, membership=self.members[x["member_number"]], receipt_number=x["receipt_number"],
            fiscal_year=x["fiscal_year"], date=x["date"], amount=x["amount"], days=x["days"],
            covers_from=x["covers_from"], covers_to=x["covers_to"], sheet=by_key[x["sheet"]] if x["sheet"] else None,
            entry=entries[x["entry"]], idempotency_key=x["key"], created=x["created"]) for x in a.contributions],
            batch_size=BATCH)
        # Cancellations after their receipts and correcting entries: the database checks each against both.
        voids = ContributionVoid.objects.bulk_create([ContributionVoid(
            contribution=receipt, fund=fund, reason=v["reason"], entry=entries[v["entry"]],
            paid_through_before=v["paid_through_before"], paid_through_after=v["paid_through_after"],
            idempotency_key=v["key"], created=v["created"])
            for receipt, v in zip(contributions, (x["void"] for x in a.contributions), strict=True) if v is not None],
            batch_size=BATCH)
        grants = Grant.objects.bulk_create([Grant(
            fund=fund, source=g["source"], date=g["date"], amount=g["amount"], members_covered=g["members_covered"],
            fiscal_year=g["fiscal_year"], reference=g["reference"], entry=entries[g["entry"]],
            idempotency_key=g["key"], created=g["created"]) for g in a.grants])
        self.counts.update(collection_sheets=len(sheets), contributions=len(contributions),
                           contribution_voids=len(voids), grants=len(grants))

    def _claims(self) -> None:
        a, fund = self.a, self.fund
        claims = Claim.objects.bulk_create([Claim(
            fund=fund, membership=self.members[cl["member_number"]], kind=self.t.kinds[cl["kind"]],
            rule=self.rules[cl["rule"]] if cl["rule"] else None, beneficiary=self.people[cl["beneficiary"]],
            event_date=cl["event_date"], units=cl["units"], amount=cl["amount"], eligible=cl["eligible"],
            explanation=cl["explanation"], status=cl["status"], consent_at=cl["consent_at"],
            decided_at=cl["decided_at"], decision_reason=cl["decision_reason"],
            entry=self.entries[cl["entry"]] if cl["entry"] else None, voucher_number=cl["voucher_number"],
            batch=cl["batch"], idempotency_key=cl["key"], created=cl["created"]) for cl in a.claims],
            batch_size=BATCH)  # with its own time: a paid claim's row refuses the UPDATE _restore would make
        # Payments' cancellations after their claims and correcting entries: the database checks each against both.
        voids = ClaimPaymentVoid.objects.bulk_create([ClaimPaymentVoid(
            claim=claim, fund=fund, reason=v["reason"], entry=self.entries[v["entry"]], idempotency_key=v["key"],
            created=v["created"])
            for claim, v in zip(claims, (cl["payment_void"] for cl in a.claims), strict=True) if v is not None],
            batch_size=BATCH)
        evidence, uploaded = [], []
        for claim, cl in zip(claims, a.claims, strict=True):
            for e in cl["evidence"]:
                item = ClaimEvidence(claim=claim, description=e["description"])
                item.file.save(PurePosixPath(e["file"]).name, ContentFile(self.a.blobs[e["file"]]), save=False)
                self.saved_files.append(item.file.name)
                evidence.append(item)
                uploaded.append(e["uploaded"])
        ClaimEvidence.objects.bulk_create(evidence, batch_size=BATCH)
        _restore(evidence, uploaded, "uploaded")
        self.counts.update(claims=len(claims), claim_payment_voids=len(voids), evidence_files=len(evidence))

    def _refunds(self) -> None:
        # After the members and the re-posted entries: the database checks each refund against both. Written with
        # its own time (the table refuses the UPDATE _restore would make); who paid it stays with the source.
        paid = [(self.members[m["member_number"]], m["refund"]) for m in self.a.memberships if m["refund"]]
        refunds = ContributionRefund.objects.bulk_create([ContributionRefund(
            membership=member, fund=self.fund, date=f["date"], amount=f["amount"], receipts=f["receipts"],
            voucher_number=f["voucher_number"], entry=self.entries[f["entry"]], idempotency_key=f["key"],
            created=f["created"]) for member, f in paid], batch_size=BATCH)
        self.counts.update(contribution_refunds=len(refunds))


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - best effort: the rows naming them were rolled back
            pass


def fund_import(*, actor, path_or_file, dry_run: bool = False) -> dict:
    """Import a fund archive made by :func:`fund_export` into this instance.

    The whole archive is checked first (format, sha256 of every file, every field and reference, the books);
    then, in one transaction, the fund, its people (those already here, by national ID, are reused), members,
    rules, contributions and their cancellations, grants, claims with their evidence and their payments'
    cancellations, and contribution refunds are written and every entry is re-posted through the ledger's posting,
    closed periods closed again after their entries.
    Anything wrong refuses the whole import (:class:`ArchiveRefused`) and nothing is written. The same archive
    imported again changes nothing.
    ``actor`` None is the system (the shell); a user needs national CHANGE rights. ``dry_run`` checks only."""
    if actor is not None and not c.may_move_funds(actor):
        raise PermissionDenied("ไม่มีสิทธิ์นำเข้าข้อมูลทั้งกองทุน: ต้องเป็นเจ้าหน้าที่ระดับประเทศ "
                               "(not allowed to import a whole fund: national staff only)")
    archive = read_archive(path_or_file)
    summary = {"fund_code": archive.code, "content_sha256": archive.digest,
               "source_instance": archive.manifest.get("source_instance"),
               "exported_at": archive.manifest.get("exported_at")}
    if already_imported(archive) is not None:
        return {**summary, "status": "already imported"}
    target = _Target(archive).check()
    if target.problems:
        raise _refused(target.problems)
    summary["people_differing"] = target.differing
    if dry_run:
        return {**summary, "status": "checked", "people_reused": len(target.existing),
                "people_created": len(archive.people) - len(target.existing)}
    writer = _Writer(actor, archive, target)
    try:
        with transaction.atomic():
            fund = writer.write()
            audit_record(actor=actor, action=IMPORT_ACTION, obj=fund,
                         summary=f"{archive.code}: {writer.counts['people_created']} people new, "
                                 f"{writer.counts['people_reused']} already here, {writer.counts['entries']} entries "
                                 f"(personal data)",
                         data={**summary, "counts": writer.counts}, organisation=fund.organisation,
                         subdistrict=fund.organisation.subdistrict)
    except c.ArchiveRefused:
        _delete_files(writer.saved_files)
        raise
    except DatabaseError as exc:
        _delete_files(writer.saved_files)
        raise _refused(Problem(f"ฐานข้อมูลไม่รับข้อมูลในไฟล์: {exc}", f"the database refused the archive's data: {exc}")
                       ) from exc
    except BaseException:
        _delete_files(writer.saved_files)
        raise
    return {**summary, "status": "imported", **writer.counts}
