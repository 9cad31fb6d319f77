"""Writing a whole fund into one archive: JSON files for its records and its books, and its claims' evidence."""

import json
import os
import zipfile
from collections import defaultdict
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from chumchon.access.roles import Action
from chumchon.access.scoping import restrict, user_can
from chumchon.core.audit import audit_record
from chumchon.dataio.archive import common as c
from chumchon.dataio.archive.common import iso, money
from chumchon.ledger.models import Account, JournalEntry, Line, Period
from chumchon.people.models import Person
from chumchon.people.services import export_purpose_checked, personal_data_exports_record
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


def _canonical(value):
    """A JSON field's value with its keys sorted, so the same data always exports as the same bytes."""
    return json.loads(json.dumps(value, sort_keys=True, ensure_ascii=False))


def _dump(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode()


def _refuse(th: str, en: str, **where) -> c.ArchiveRefused:
    return c.ArchiveRefused(c.Problem(th, en, **where))


class _Builder:
    """Reads one fund and lays its records out as the archive's files (natural keys, no database ids)."""

    def __init__(self, fund: Fund) -> None:
        self.fund, self.org = fund, fund.organisation
        self.book = getattr(self.org, "book", None)
        if self.book is None:
            raise _refuse("กองทุนนี้ไม่มีสมุดบัญชี", "this fund has no book")
        self.files: dict[str, bytes] = {}
        self.counts: dict[str, int] = {}

    def build(self) -> None:
        # The accounts first, locked (PostgreSQL) so no posting lands between reading the totals and the lines.
        accounts = list(Account.objects.select_for_update().filter(book=self.book).order_by("code"))
        entries = self._entries()
        memberships = list(Membership.objects.filter(fund=self.fund).order_by("id"))
        dependants = defaultdict(list)
        for d in Dependant.objects.filter(membership__fund=self.fund).order_by("id"):
            dependants[d.membership_id].append(d)
        committee = list(CommitteeMember.objects.filter(fund=self.fund).order_by("id"))
        claims = list(Claim.objects.filter(fund=self.fund).select_related("kind", "rule__kind").order_by("id"))
        person_ids = ({m.person_id for m in memberships} | {d.person_id for ds in dependants.values() for d in ds}
                      | {s.person_id for s in committee} | {cl.beneficiary_id for cl in claims})
        self.refs = self._people(person_ids)
        numbers = {m.pk: m.member_number for m in memberships}
        self._fund(committee)
        refunds = {x.membership_id: x for x in ContributionRefund.objects.filter(fund=self.fund)}
        self.files[c.MEMBERSHIPS] = _dump([{
            "member_number": m.member_number, "person": self.refs[m.person_id], "joined_on": iso(m.joined_on),
            "status": m.status, "ended_on": iso(m.ended_on), "village_number": m.village_number,
            "paid_through": iso(m.paid_through), "lapse_notice_on": iso(m.lapse_notice_on),
            "dependants": [{"person": self.refs[d.person_id], "relation": d.relation} for d in dependants[m.pk]],
            "refund": self._refund(refunds.get(m.pk)),
        } for m in memberships])
        self.counts["memberships"] = len(memberships)
        self.counts["dependants"] = sum(len(v) for v in dependants.values())
        self.counts["contribution_refunds"] = len(refunds)
        keys = self.entry_keys
        sheets = {s.pk: s for s in CollectionSheet.objects.filter(fund=self.fund).order_by("id")}
        self.files[c.SHEETS] = _dump([{
            "key": s.idempotency_key, "village_number": s.village_number, "date": iso(s.date), "status": s.status,
            "entry": keys[s.entry_id] if s.entry_id else None, "created": iso(s.created),
        } for s in sheets.values()])
        self.counts["collection_sheets"] = len(sheets)
        contributions = Contribution.objects.filter(fund=self.fund).order_by("id")
        # A fund's cancellations are few and its receipts can be millions: read them once, apart, rather than join
        # every receipt to them.
        voids = {v.contribution_id: v for v in ContributionVoid.objects.filter(fund=self.fund)}
        self.files[c.CONTRIBUTIONS] = _dump([{
            "receipt_number": x.receipt_number, "member_number": numbers[x.membership_id],
            "fiscal_year": x.fiscal_year, "date": iso(x.date), "amount": money(x.amount), "days": x.days,
            "covers_from": iso(x.covers_from), "covers_to": iso(x.covers_to),
            "sheet": sheets[x.sheet_id].idempotency_key if x.sheet_id else None, "entry": keys[x.entry_id],
            "key": x.idempotency_key, "created": iso(x.created), "void": self._void(voids.get(x.pk)),
        } for x in contributions.iterator()])
        self.counts["contributions"] = contributions.count()
        self.counts["contribution_voids"] = len(voids)
        grants = list(Grant.objects.filter(fund=self.fund).order_by("id"))
        self.files[c.GRANTS] = _dump([{
            "key": g.idempotency_key, "source": g.source, "date": iso(g.date), "amount": money(g.amount),
            "members_covered": g.members_covered, "fiscal_year": g.fiscal_year, "reference": g.reference,
            "entry": keys[g.entry_id], "created": iso(g.created),
        } for g in grants])
        self.counts["grants"] = len(grants)
        self._claims(claims, numbers)
        self.files[c.BOOK] = _dump({
            "book": {"code": self.book.code, "name_th": self.book.name_th, "template": self.book.template},
            "accounts": [{
                "code": a.code, "name_th": a.name_th, "name_en": a.name_en, "type": a.type,
                "fund_source": a.fund_source, "standard_code": a.standard_code, "is_cash": a.is_cash,
                "is_active": a.is_active, "debit_total": money(a.debit_total), "credit_total": money(a.credit_total),
            } for a in accounts],
        })
        self.counts["accounts"] = len(accounts)
        periods = Period.objects.filter(book=self.book).order_by("fiscal_year", "month")
        self.files[c.PERIODS] = _dump([{
            "fiscal_year": p.fiscal_year, "month": p.month, "start": iso(p.start), "end": iso(p.end),
            "status": p.status,
        } for p in periods])
        self.counts["periods"] = len(periods)
        self.files[c.ENTRIES] = _dump(entries)
        self.counts["entries"] = len(entries)
        self.counts["lines"] = sum(len(e["lines"]) for e in entries)

    def _void(self, void: ContributionVoid | None) -> dict | None:
        """A receipt's cancellation, or None; who cancelled it (``voided_by``) stays with the instance."""
        if void is None:
            return None
        return {"key": void.idempotency_key, "reason": void.reason, "entry": self.entry_keys[void.entry_id],
                "paid_through_before": iso(void.paid_through_before),
                "paid_through_after": iso(void.paid_through_after), "created": iso(void.created)}

    def _refund(self, refund: ContributionRefund | None) -> dict | None:
        """A member's contributions paid back, or None; who paid them (``paid_by``) stays with the instance."""
        if refund is None:
            return None
        return {"key": refund.idempotency_key, "date": iso(refund.date), "amount": money(refund.amount),
                "receipts": refund.receipts, "voucher_number": refund.voucher_number,
                "entry": self.entry_keys[refund.entry_id], "created": iso(refund.created)}

    def _payment_void(self, void: ClaimPaymentVoid | None) -> dict | None:
        """A paid claim's payment cancelled, or None; who cancelled it (``voided_by``) stays with the instance."""
        if void is None:
            return None
        return {"key": void.idempotency_key, "reason": void.reason, "entry": self.entry_keys[void.entry_id],
                "created": iso(void.created)}

    def _entries(self) -> list[dict]:
        rows = list(JournalEntry.objects.filter(book=self.book, status=JournalEntry.Status.POSTED).order_by("id")
                    .values_list("id", "date", "memo", "reference", "idempotency_key", "reverses_id", "is_closing"))
        self.entry_keys = {row[0]: row[4] for row in rows}
        lines = defaultdict(list)
        for entry_id, code, debit, credit, memo in (
                Line.objects.filter(entry__book=self.book, entry__status=JournalEntry.Status.POSTED)
                .order_by("entry_id", "id").values_list("entry_id", "account__code", "debit", "credit", "memo")
                .iterator(chunk_size=5000)):
            lines[entry_id].append({"account": code, "debit": money(debit), "credit": money(credit), "memo": memo})
        return [{
            "key": key, "date": iso(date), "memo": memo, "reference": reference,
            "reverses": self.entry_keys[reverses] if reverses else None, "is_closing": is_closing,
            "lines": lines[pk],
        } for pk, date, memo, reference, key, reverses, is_closing in rows]

    def _people(self, ids: set[int]) -> dict[int, str]:
        people = list(Person.objects.filter(pk__in=ids).select_related("personal_data", "household"))
        for p in people:
            if not hasattr(p, "personal_data"):
                p.nid = None
            else:
                p.nid = p.personal_data.national_id
        people.sort(key=lambda p: (p.nid is None, p.nid or "", p.pk))
        refs, without = {}, 0
        for p in people:
            if p.nid:
                refs[p.pk] = p.nid
            else:
                without += 1
                refs[p.pk] = f"~{without}"
        households = sorted({p.household.code: p.household for p in people if p.household_id}.values(),
                            key=lambda h: h.code)
        here = self.org.pk

        def personal(p, field, default=""):
            return getattr(p.personal_data, field) if hasattr(p, "personal_data") else default

        self.files[c.PEOPLE] = _dump({
            "households": [{
                "code": h.code, "house_number": h.house_number, "village_number": h.village_number,
                "subdistrict": h.subdistrict_id, "registered_here": h.registered_by_id == here,
            } for h in households],
            "people": [{
                "ref": refs[p.pk], "national_id": p.nid, "title": p.title, "first_name": p.first_name,
                "last_name": p.last_name, "birth_date": iso(p.birth_date), "sex": p.sex,
                "house_number": p.house_number, "village_number": p.village_number, "subdistrict": p.subdistrict_id,
                "household": p.household.code if p.household_id else None,
                "registered_here": p.registered_by_id == here,
                "death_date": iso(p.death_date), "phone": personal(p, "phone"), "email": personal(p, "email"),
                "line_id": personal(p, "line_id"),
                "consent_health_data": iso(personal(p, "consent_health_data", None)),
            } for p in people],
        })
        self.people = people
        self.counts["people"] = len(people)
        self.counts["households"] = len(households)
        return refs

    def _fund(self, committee: list[CommitteeMember]) -> None:
        org, fund = self.org, self.fund
        la = org.local_administration
        rules = BenefitRule.objects.filter(fund=fund).select_related("kind").order_by("id")
        self.files[c.FUND] = _dump({
            "organisation": {"code": org.code, "kind": org.kind, "name_th": org.name_th, "name_en": org.name_en,
                             "subdistrict": org.subdistrict_id},
            "local_administration": None if la is None else {
                "name_th": la.name_th, "name_en": la.name_en, "kind": la.kind, "dla_code": la.dla_code,
                "subdistrict": la.subdistrict_id, "covers": sorted(la.covers.values_list("code", flat=True)),
            },
            "fund": {
                "founded_on": iso(fund.founded_on), "status": fund.status, "daily_rate": money(fund.daily_rate),
                "allowed_frequencies": fund.allowed_frequencies, "whole_days_only": fund.whole_days_only,
                "arrears_limit_days": fund.arrears_limit_days,
                "admin_cost_cap_percent": money(fund.admin_cost_cap_percent),
                "refund_on_resignation": fund.refund_on_resignation,
            },
            "benefit_rules": [{
                "kind": r.kind.code, "effective_from": iso(r.effective_from), "is_offered": r.is_offered,
                "waiting_days": r.waiting_days, "arrears_tolerance_days": r.arrears_tolerance_days,
                "amount_type": r.amount_type, "amount": money(r.amount), "unit_amount": money(r.unit_amount),
                "tiers": _canonical(r.tiers), "period": r.period, "cap_per_event": money(r.cap_per_event),
                "cap_per_year": money(r.cap_per_year), "cap_lifetime": money(r.cap_lifetime), "min_age": r.min_age,
                "beneficiary": r.beneficiary, "evidence_required": r.evidence_required, "created": iso(r.created),
            } for r in rules],
            "committee": [{
                "person": self.refs[s.person_id], "position": s.position, "term_start": iso(s.term_start),
                "term_end": iso(s.term_end),
            } for s in committee],
            "receipt_sequences": [{
                "kind": s.kind, "fiscal_year": s.fiscal_year, "last_number": s.last_number,
            } for s in ReceiptSequence.objects.filter(fund=fund).order_by("kind", "fiscal_year")],
        })
        self.counts["benefit_rules"] = len(rules)
        self.counts["committee"] = len(committee)

    def _claims(self, claims: list[Claim], numbers: dict[int, str]) -> None:
        evidence = defaultdict(list)
        for e in ClaimEvidence.objects.filter(claim__fund=self.fund).order_by("id"):
            evidence[e.claim_id].append(e)
        voids = {v.claim_id: v for v in ClaimPaymentVoid.objects.filter(fund=self.fund)}
        records, files = [], 0
        for index, cl in enumerate(claims, start=1):
            attached = []
            for n, e in enumerate(evidence[cl.pk], start=1):
                suffix = PurePosixPath(e.file.name).suffix.lower()[:10]
                name = f"{c.FILES_DIR}claims/{index:05d}-{n}{suffix}"
                try:
                    with e.file.open("rb") as handle:
                        self.files[name] = handle.read()
                except OSError as exc:
                    raise _refuse(f"อ่านไฟล์หลักฐาน {e.file.name} ไม่ได้", f"cannot read evidence file {e.file.name}: {exc}",
                                  file=c.CLAIMS, record=f"{index} ({cl.idempotency_key})", field="evidence") from exc
                attached.append({"file": name, "description": e.description, "uploaded": iso(e.uploaded)})
                files += 1
            records.append({
                "key": cl.idempotency_key, "member_number": numbers[cl.membership_id], "kind": cl.kind.code,
                "rule": {"kind": cl.rule.kind.code, "effective_from": iso(cl.rule.effective_from)} if cl.rule else None,
                "beneficiary": self.refs[cl.beneficiary_id], "event_date": iso(cl.event_date),
                "units": money(cl.units), "amount": money(cl.amount), "eligible": cl.eligible,
                "explanation": _canonical(cl.explanation), "status": cl.status, "consent_at": iso(cl.consent_at),
                "decided_at": iso(cl.decided_at), "decision_reason": cl.decision_reason,
                "entry": self.entry_keys[cl.entry_id] if cl.entry_id else None, "voucher_number": cl.voucher_number,
                "batch": cl.batch, "created": iso(cl.created), "evidence": attached,
                "payment_void": self._payment_void(voids.get(cl.pk)),
            })
        self.files[c.CLAIMS] = _dump(records)
        self.counts["claims"] = len(records)
        self.counts["claim_payment_voids"] = len(voids)
        self.counts["evidence_files"] = files


def _write_zip(target, members: dict[str, bytes]) -> int:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return sum(len(v) for v in members.values())


def may_export(actor, fund: Fund) -> bool:
    """Who may carry a whole fund away: someone who may change the fund (the one scoping mechanism), holds a
    national role or sits on this fund's committee, and may see unmasked personal data."""
    return (c.may_move_funds(actor, fund.organisation) and user_can(actor, Action.VIEW_PERSONAL)
            and restrict(Fund.objects.filter(pk=fund.pk), actor, Action.CHANGE).exists())


def check_export_allowed(actor, fund: Fund, purpose: str) -> None:
    """Refuses an export the actor may not make (:func:`may_export`), or one without a purpose (kept in the audit
    log and in each person's access log). ``actor`` None is the system (the shell)."""
    if actor is None:
        return
    if not may_export(actor, fund):
        raise PermissionDenied("ไม่มีสิทธิ์ส่งออกข้อมูลทั้งกองทุน (not allowed to export the whole fund)")
    export_purpose_checked(purpose, what_en="the archive")


@transaction.atomic
def fund_export(*, actor, fund: Fund, path_or_file, purpose: str = "") -> dict:
    """Write the whole fund — organisation, settings and rules, members and their people (with their personal
    data) and their contribution refunds, contributions and their cancellations, collection sheets, grants, claims
    with their evidence and their payments' cancellations, and the books — into one zip.

    A privileged action (see :func:`check_export_allowed`). Audited, and each exported person's record gets a
    personal-data access row with the purpose (PDPA)."""
    fund = Fund.objects.select_related("organisation__local_administration", "organisation__book").get(pk=fund.pk)
    check_export_allowed(actor, fund, purpose)
    purpose = (purpose or "").strip() or "ย้ายกองทุน (fund archive export)"
    builder = _Builder(fund)
    builder.build()
    files = {name: c.sha256(data) for name, data in builder.files.items()}
    digest = c.content_digest(files)
    manifest = {
        "format": c.FORMAT, "version": c.VERSION, "exported_at": timezone.now().isoformat(),
        "source_instance": getattr(settings, "CHUMCHON_INSTANCE_NAME", "") or None,
        "fund_code": fund.code, "fund_name": fund.name, "contains_personal_data": True,
        "notice_th": c.NOTICE_TH, "notice_en": c.NOTICE_EN,
        "counts": builder.counts, "files": files, "content_sha256": digest,
    }
    members = {c.MANIFEST: _dump(manifest), **builder.files}
    # The logs first: should writing the file fail, the transaction takes them back with it.
    personal_data_exports_record(actor=actor, person_ids=[p.pk for p in builder.people], purpose=purpose,
                                 fields=f"fund archive {fund.code}")
    audit_record(actor=actor, action="dataio.fund_export", obj=fund,
                 summary=f"{fund.code}: {builder.counts['people']} people, {builder.counts['entries']} entries "
                         f"(personal data)",
                 data={"content_sha256": digest, "counts": builder.counts, "purpose": purpose[:300]},
                 organisation=fund.organisation)
    if isinstance(path_or_file, str | os.PathLike):
        path = Path(path_or_file)
        partial = path.with_name(path.name + ".part")
        try:
            size = _write_zip(partial, members)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    else:
        size = _write_zip(path_or_file, members)
    return {"fund_code": fund.code, "counts": builder.counts, "content_sha256": digest, "bytes": size,
            "files": len(members)}
