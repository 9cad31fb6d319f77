"""Benefits out: submitting a claim, the committee's decision (never by the submitter), paying it, and the
periodic pension batch."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from chumchon.core.audit import audit_record, audit_record_many
from chumchon.core.bulk import chunks, update_many
from chumchon.core.thai.dates import format_date
from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.core.thai.money import format_baht, to_baht
from chumchon.ledger import services as ledger
from chumchon.ledger.models import Account, Book
from chumchon.welfare import rules
from chumchon.welfare.models import (
    BenefitKind,
    BenefitRule,
    Claim,
    ClaimEvidence,
    ClaimPaymentVoid,
    ContributionRefund,
    Dependant,
    Fund,
    Membership,
)
from chumchon.welfare.services.common import HEALTH_CONSENT, cancel_reason, check_claims_actor, field_error

ZERO = Decimal("0.00")


def _in_chunks(ids):
    """Ids in sorted slices for ``pk__in`` lookups."""
    return chunks(sorted(ids), 5000)


class ClaimAssessor:
    """Judges claims of one fund against its rules in memory, after three reads: the fund's rules of the kinds
    asked about, what was already approved or paid under those kinds to the memberships concerned (for the
    year's and lifetime caps), and their dependants. One claim or a batch of thousands is judged by the same
    code. :meth:`count` adds a claim approved in the batch to what the later ones see, as deciding them one
    after another would."""

    def __init__(self, fund: Fund, membership_ids, kinds, exclude=()):
        kind_ids = {k.pk for k in kinds}
        self.rules: dict[int, list[BenefitRule]] = defaultdict(list)
        for rule in (BenefitRule.objects.select_related("kind").filter(fund=fund, kind_id__in=kind_ids)
                     .order_by("-effective_from", "-pk")):
            self.rules[rule.kind_id].append(rule)
        self.counted: dict[tuple[int, int], list[tuple[int, datetime.date, Decimal]]] = defaultdict(list)
        self.dependants: set[tuple[int, int]] = set()
        exclude = set(exclude)
        for chunk in _in_chunks(set(membership_ids)):
            rows = Claim.objects.filter(membership_id__in=chunk, kind_id__in=kind_ids,
                                        status__in=[Claim.Status.APPROVED, Claim.Status.PAID],
                                        payment_void__isnull=True)  # a cancelled payment is no benefit
            for pk, membership_id, kind_id, beneficiary_id, event_date, amount in rows.values_list(
                    "pk", "membership_id", "kind_id", "beneficiary_id", "event_date", "amount"):
                if pk not in exclude:
                    self.counted[membership_id, kind_id].append((beneficiary_id, event_date, amount))
            self.dependants.update(Dependant.objects.filter(membership_id__in=chunk)
                                   .values_list("membership_id", "person_id"))

    def rule(self, kind: BenefitKind, on: datetime.date) -> BenefitRule | None:
        """The rule for ``kind`` in force on a date: the newest version that had started by then."""
        return next((r for r in self.rules.get(kind.pk, []) if r.effective_from <= on), None)

    def facts(self, membership: Membership, kind: BenefitKind, beneficiary, event_date: datetime.date,
              units) -> rules.ClaimFacts:
        fy = fiscal_year_of(event_date)
        year = lifetime = ZERO
        for beneficiary_id, day, amount in self.counted.get((membership.pk, kind.pk), []):
            if fy.start <= day <= fy.end:
                year += amount
            if beneficiary_id == beneficiary.pk:
                lifetime += amount
        is_member = beneficiary.pk == membership.person_id
        return rules.ClaimFacts(
            event_date=event_date, joined_on=membership.joined_on, membership_status=membership.status,
            days_in_arrears=membership.days_in_arrears(event_date), units=Decimal(units),
            beneficiary_is_member=is_member,
            beneficiary_is_dependant=not is_member and (membership.pk, beneficiary.pk) in self.dependants,
            beneficiary_birth_date=beneficiary.birth_date, paid_this_year=year, paid_lifetime=lifetime,
        )

    def assess(self, membership: Membership, kind: BenefitKind, beneficiary, event_date: datetime.date,
               units) -> tuple[BenefitRule | None, rules.Decision]:
        rule = self.rule(kind, event_date)
        return rule, rules.evaluate(rule, self.facts(membership, kind, beneficiary, event_date, units))

    def count(self, claim: Claim) -> None:
        """A claim approved in this batch: later claims of the batch count it against their caps."""
        self.counted[claim.membership_id, claim.kind_id].append((claim.beneficiary_id, claim.event_date,
                                                                 claim.amount))


@dataclass(frozen=True)
class ClaimRequest:
    """One claim of a batch (:func:`claims_submit_many`)."""

    membership: Membership
    kind: BenefitKind
    event_date: datetime.date
    idempotency_key: str
    units: Decimal | int | str = 1
    beneficiary: object = None  # a Person; the member by default
    consent: bool = False


def _who(claim_or_membership, many: bool) -> tuple[str, str]:
    """The prefix naming a claim's member in a batch's messages (none for a single claim)."""
    if not many:
        return "", ""
    membership = getattr(claim_or_membership, "membership", claim_or_membership)
    return f"สมาชิกเลขที่ {membership.member_number}: ", f"member {membership.member_number}: "


def _submit(actor, fund: Fund, requests: list[ClaimRequest]) -> list[tuple[Claim, bool]]:
    """Claims recorded and judged at once, each with whether it is new (a replayed key returns the claim it
    made). All or none."""
    check_claims_actor(actor, fund)
    many = len(requests) > 1
    members: dict[int, Membership] = {}
    for chunk in _in_chunks({r.membership.pk for r in requests}):
        members.update(Membership.objects.select_related("person").in_bulk(chunk))
    existing: dict[str, Claim] = {}
    keys = [r.idempotency_key for r in requests]
    for i in range(0, len(keys), 5000):
        existing.update((c.idempotency_key, c) for c in Claim.objects.filter(fund=fund,
                                                                            idempotency_key__in=keys[i:i + 5000]))
    today, now = timezone.localdate(), timezone.now()
    submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    assessor = ClaimAssessor(fund, members, {r.kind for r in requests})
    made: list[tuple[Claim, bool]] = []
    seen: set[str] = set()
    for request in requests:
        membership = members.get(request.membership.pk)
        th, en = _who(membership or request.membership, many)
        if membership is None or membership.fund_id != fund.pk:
            raise field_error("membership", f"{th}ไม่ใช่สมาชิกของกองทุนนี้", f"{en}not a member of this fund", "other_fund")
        units = Decimal(str(request.units))
        if units < 0:
            raise field_error("units", f"{th}จำนวนหน่วยต้องไม่ติดลบ", f"{en}units cannot be negative", "negative")
        key = request.idempotency_key
        if key in seen:
            raise field_error("idempotency_key", f"{th}คีย์ {key} ซ้ำในชุดเดียวกัน", f"{en}key {key} repeats in the batch",
                              "duplicate_key")
        seen.add(key)
        if key in existing:
            claim = existing[key]
            if (claim.membership_id, claim.kind_id, claim.event_date, claim.units) != (
                    membership.pk, request.kind.pk, request.event_date, units):
                raise field_error("idempotency_key", f"{th}คีย์นี้ใช้กับคำขออื่นไปแล้ว",
                                  f"{en}key already used for another claim", "key_reused")
            made.append((claim, False))
            continue
        if request.kind.health_data and not request.consent:
            raise field_error("consent", f"{th}{HEALTH_CONSENT[0]}", f"{en}{HEALTH_CONSENT[1]}", "consent")
        if request.event_date > today:
            raise field_error("event_date", f"{th}วันที่เกิดเหตุอยู่ในอนาคต", f"{en}the event date is in the future",
                              "future")
        beneficiary = request.beneficiary or membership.person
        rule, decision = assessor.assess(membership, request.kind, beneficiary, request.event_date, units)
        claim = Claim(fund=fund, membership=membership, kind=request.kind, rule=rule, beneficiary=beneficiary,
                      event_date=request.event_date, units=units, idempotency_key=key,
                      consent_at=now if request.consent else None, submitted_by=submitted_by,
                      eligible=decision.eligible, amount=decision.amount,
                      explanation=[r.to_dict() for r in decision.reasons])
        made.append((claim, True))
    new = [claim for claim, is_new in made if is_new]
    Claim.objects.bulk_create(new, batch_size=500)
    audit_record_many(actor=actor, action="welfare.claim_submit", organisation=fund.organisation, items=[
        (c, f"{c.kind.code} {c.membership.member_number} {c.amount}") for c in new])
    return made


@transaction.atomic
def claims_submit_many(*, actor, fund: Fund, requests: list[ClaimRequest]) -> list[Claim]:
    """Record a batch of claims of one fund, each judged against the rules at once (the explanation is kept), as
    :func:`claim_submit` would one by one, in a handful of statements. All or none: a problem names the member.
    Claims submitted together do not count against each other's caps (only approved claims do)."""
    return [claim for claim, _ in _submit(actor, fund, requests)]


@transaction.atomic
def claim_submit(*, actor, membership: Membership, kind: BenefitKind, event_date: datetime.date,
                 idempotency_key: str, units=1, beneficiary=None, consent: bool = False,
                 evidence: list | None = None) -> Claim:
    """Record a claim with its evidence and check it against the rules at once (the explanation is kept)."""
    fund = Fund.objects.select_related("organisation").get(pk=membership.fund_id)
    [(claim, is_new)] = _submit(actor, fund, [ClaimRequest(membership, kind, event_date, idempotency_key, units,
                                                           beneficiary, consent)])
    if is_new:
        for item in evidence or []:
            ClaimEvidence.objects.create(claim=claim, file=item, description=getattr(item, "name", "")[:200])
    return claim


def _locked(claims, related: tuple[str, ...]) -> list[Claim]:
    """The claims again, locked for this transaction, in the order given, all of one fund."""
    ids = [c.pk for c in claims]
    found: dict[int, Claim] = {}
    for chunk in _in_chunks(set(ids)):
        found.update((c.pk, c) for c in Claim.objects.select_for_update(of=("self",)).select_related(*related)
                     .filter(pk__in=chunk))
    locked = [found[pk] for pk in ids]
    if len({c.fund_id for c in locked}) > 1:
        raise field_error("fund", "คำขอในชุดเดียวกันต้องเป็นของกองทุนเดียวกัน", "a batch holds the claims of one fund",
                          "many_funds")
    return locked


@transaction.atomic
def claims_decide_many(*, actor, claims: list[Claim], approve: bool, reason: str = "",
                       skip_ineligible: bool = False) -> list[Claim]:
    """The committee's decision on a batch of claims of one fund, as :func:`claim_decide` one by one: never by
    the submitter, an approval re-checks the rules in the batch's order (a claim approved earlier in the batch
    counts against the caps of the later ones), and a claim outside the rules is not approved. All or none,
    unless ``skip_ineligible``: then the claims outside the rules, and the decider's own claims, stay submitted
    and are not returned."""
    if not claims:
        return []
    many = len(claims) > 1
    locked = _locked(claims, ("fund__organisation", "membership", "kind", "beneficiary"))
    fund = locked[0].fund
    check_claims_actor(actor, fund)
    actor_pk = getattr(actor, "pk", None)
    reason = reason.strip()
    if not approve and len(reason) < 3:
        raise field_error("reason", "กรุณาระบุเหตุผลที่ไม่อนุมัติ", "please give the reason for rejecting", "required")
    if approve:
        # The members' rows, locked before their claims are weighed against the caps: two approvals for one member
        # at once (two committee members, two pages) are weighed one after the other, never both under the cap.
        list(Membership.objects.select_for_update(of=("self",)).filter(
            pk__in=sorted({c.membership_id for c in locked})).values_list("pk", flat=True))
    assessor = ClaimAssessor(fund, {c.membership_id for c in locked}, {c.kind for c in locked},
                             exclude={c.pk for c in locked}) if approve else None
    decided_by = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    done = []
    for claim in locked:
        th, en = _who(claim, many)
        if claim.status != Claim.Status.SUBMITTED:
            raise field_error("status", f"{th}คำขอนี้{claim.get_status_display()}แล้ว",
                              f"{en}this claim is already {claim.status}", "decided")
        if claim.submitted_by_id is not None and claim.submitted_by_id == actor_pk:
            raise field_error("decided_by", f"{th}ผู้ยื่นคำขอพิจารณาอนุมัติเองไม่ได้ ต้องเป็นกรรมการคนอื่น",
                              f"{en}the person who submitted a claim cannot decide it", "four_eyes")
        actor_person = getattr(actor, "person_id", None)
        if actor_person is not None and actor_person in (claim.membership.person_id, claim.beneficiary_id):
            if skip_ineligible:  # in a batch, one's own claim waits for another committee member
                continue
            raise field_error("decided_by", f"{th}กรรมการพิจารณาคำขอที่ตนเองเป็นสมาชิกผู้ขอหรือผู้รับประโยชน์ไม่ได้ "
                              "ต้องเป็นกรรมการคนอื่น", f"{en}a committee member cannot decide a claim of their own "
                              "(as the member or the beneficiary): another member of the committee must", "own_claim")
        if approve:
            claim.rule, decision = assessor.assess(claim.membership, claim.kind, claim.beneficiary,
                                                   claim.event_date, claim.units)
            if not decision.eligible:
                if skip_ineligible:
                    continue
                raise field_error("status", f"{th}คำขอไม่เป็นไปตามระเบียบ: {decision.text_th}",
                                  f"{en}the claim is outside the rules: {decision.text_en}", "ineligible")
            claim.eligible, claim.amount = decision.eligible, decision.amount
            claim.explanation = [r.to_dict() for r in decision.reasons]
            assessor.count(claim)
        claim.status = Claim.Status.APPROVED if approve else Claim.Status.REJECTED
        claim.decided_by, claim.decided_at, claim.decision_reason = decided_by, now, reason
        done.append(claim)
    update_many(done, ["rule", "eligible", "amount", "explanation", "status", "decided_by", "decided_at",
                       "decision_reason"])
    audit_record_many(actor=actor, action="welfare.claim_approve" if approve else "welfare.claim_reject",
                      organisation=fund.organisation,
                      items=[(c, f"{c.kind.code} {c.amount} {reason}"[:200]) for c in done])
    return done


def claim_decide(*, actor, claim: Claim, approve: bool, reason: str = "") -> Claim:
    """The committee's decision. The approver is not the submitter; an approval re-checks the rules (another
    claim may have used the year's cap since) and a claim outside the rules cannot be approved."""
    return claims_decide_many(actor=actor, claims=[claim], approve=approve, reason=reason)[0]


def available_by_source(fund: Fund, source: str) -> Decimal:
    """Money of one source the fund can still spend (see :func:`chumchon.welfare.selectors.money_by_source`)."""
    from chumchon.welfare.selectors import money_by_source

    return money_by_source(fund)[source or "other"]


def _own_funerals_end_memberships(*, actor, claims: list[Claim]) -> int:
    """A member's own funeral paid: the membership ends on the date of death (the history stays). Returns how
    many memberships ended. The caller has checked that the actor may act for the fund."""
    ended = []
    for claim in claims:
        membership = claim.membership
        if claim.kind.code == "funeral" and claim.beneficiary_id == membership.person_id and \
                membership.status == Membership.Status.ACTIVE:
            membership.status, membership.ended_on = Membership.Status.DECEASED, claim.event_date
            ended.append(membership)
    update_many(ended, ["status", "ended_on"])
    audit_record_many(actor=actor, action="welfare.membership_end",
                      items=[(m, f"{Membership.Status.DECEASED} {m.ended_on}") for m in ended])
    return len(ended)


def _own_funeral_ends_membership(*, actor, claim: Claim) -> bool:
    return _own_funerals_end_memberships(actor=actor, claims=[claim]) == 1


def history_claim_key(voucher: str) -> str:
    """The key of a benefit paid before the fund used Chumchon: the fund's own voucher number."""
    return f"import-pv-{voucher}"


@transaction.atomic
def claim_history_record(*, actor, fund: Fund, membership: Membership, kind: BenefitKind, beneficiary_id: int,
                         event_date: datetime.date, date: datetime.date, amount: Decimal, voucher: str,
                         system: bool = False) -> tuple[Claim, bool]:
    """Record a benefit the fund paid before it used Chumchon (imported history): the payment entry (Dr the
    benefit's expense account / Cr cash, refused when cash would go below zero) and a paid claim saying so; the
    rules of the time are not judged again. Returns the claim and whether it ended the membership (the member's
    own funeral). ``system`` is the command line without a user."""
    if not system:
        check_claims_actor(actor, fund)
    key = history_claim_key(voucher)
    entry = ledger.payment_post(
        actor=actor, book=fund.organisation.book, date=date, amount=amount, expense_account=kind.expense_account,
        reference=voucher[:64], idempotency_key=key,
        memo=f"สวัสดิการ{kind.name_th}: {membership.member_number} (นำเข้าประวัติ)"[:300],
    )
    claim = Claim.objects.create(
        fund=fund, membership=membership, kind=kind, beneficiary_id=beneficiary_id, event_date=event_date,
        amount=amount, eligible=True, status=Claim.Status.PAID,
        explanation=[{"ok": True, "th": f"นำเข้าจากประวัติการจ่าย ใบสำคัญจ่าย {voucher}",
                      "en": f"imported payout history, voucher {voucher}"}],
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None, decided_at=timezone.now(),
        entry=entry, voucher_number=voucher[:20], idempotency_key=key,
    )
    return claim, _own_funeral_ends_membership(actor=actor, claim=claim)


@dataclass(frozen=True)
class ClaimPayment:
    """One approved claim to pay (:func:`claims_pay_many`): on a date, from a cash or bank account, out of one of
    the fund's sources of money (:data:`PAYING_SOURCES`: members' money by default)."""

    claim: Claim
    date: datetime.date
    cash_account: str = "1101"
    source: str = "members"


# The money a benefit can be paid out of, and the expense it is booked to: members' money under the benefit's own
# account (5101–5115); matching money from government (via the institute) or the local administration under its
# own (5201, 5202), so that each source's balance shows what it paid for.
PAYING_SOURCES = {"members": None, "government": "5201", "local": "5202"}
SOURCE_TH = {"members": "เงินสมทบสมาชิก", "government": "เงินสมทบรัฐบาลผ่าน พอช.", "local": "เงินสมทบ อปท."}


def _expense_code(claim: Claim, source: str) -> str:
    return PAYING_SOURCES[source] or claim.kind.expense_account


@transaction.atomic
def claims_pay_many(*, actor, payments: list[ClaimPayment]) -> list[Claim]:
    """Pay a batch of approved claims of one fund, as :func:`claim_pay` would one by one: each gets the next
    payment voucher number of its fiscal year and its own entry (Dr the benefit's expense account / Cr cash or
    bank, keyed by the claim's key), a member's own funeral ends the membership, and each leaves its audit
    rows. All or none: refused, naming the member, when the money of a source or the cash would not cover the
    claims up to that one. The entries are posted by :func:`chumchon.ledger.services.entries_post`."""
    if not payments:
        return []
    many = len(payments) > 1
    claims = _locked([p.claim for p in payments],
                     ("fund__organisation__book", "kind", "membership__person", "beneficiary"))
    fund = claims[0].fund
    check_claims_actor(actor, fund)
    book = fund.organisation.book
    # the members' rows, locked as a refund locks its member's: a benefit and a refund never both stand
    member_ids = sorted({c.membership_id for c in claims})
    list(Membership.objects.select_for_update(of=("self",)).filter(pk__in=member_ids).values_list("pk", flat=True))
    # Then the fund's book (members first, as a refund takes them), locked before its money is counted: two
    # payments at once (two pages, a batch and a claim) count the money one after the other, so together they
    # never pay out more than the fund has.
    Book.objects.select_for_update().filter(pk=book.pk).values_list("pk", flat=True).get()
    refunded = set(ContributionRefund.objects.filter(membership_id__in=member_ids).values_list("membership_id",
                                                                                              flat=True))
    for claim in claims:
        if claim.membership_id in refunded:
            th, en = _who(claim, many)
            raise field_error("status", f"{th}สมาชิกลาออกและได้รับเงินสมทบคืนแล้ว จ่ายสวัสดิการไม่ได้",
                              f"{en}the member resigned and was refunded their contributions: no benefit can be paid",
                              "refunded")
    for payment in payments:
        if payment.source not in PAYING_SOURCES:
            raise field_error("source", f"จ่ายจากเงินส่วน {payment.source} ไม่ได้ "
                              "(เลือกเงินสมทบสมาชิก เงินสมทบรัฐบาล หรือเงินสมทบ อปท.)",
                              f"benefits cannot be paid out of {payment.source!r} (members, government or local)",
                              "source")
    codes = {_expense_code(p.claim, p.source) for p in payments} | {p.cash_account for p in payments}
    accounts = {a.code: a for a in Account.objects.filter(book=book, code__in=codes)}
    from chumchon.welfare.selectors import money_by_source

    available = money_by_source(fund)
    cash = {code: a.balance for code, a in accounts.items()}
    today = timezone.localdate()
    for claim, payment in zip(claims, payments, strict=True):
        th, en = _who(claim, many)
        if claim.status != Claim.Status.APPROVED:
            raise field_error("status", f"{th}จ่ายได้เฉพาะคำขอที่อนุมัติแล้ว", f"{en}only an approved claim can be paid",
                              "not_approved")
        if payment.date > today:
            raise field_error("date", f"{th}วันที่จ่าย {format_date(payment.date)} อยู่ในอนาคต",
                              f"{en}the payment date {payment.date} is in the future", "future")
        # Not before the event (a claim decided today may record a payment made earlier: history entered late).
        if payment.date < claim.event_date:
            raise field_error("date", f"{th}วันที่จ่าย {format_date(payment.date)} อยู่ก่อนวันที่เกิดเหตุ "
                              f"({format_date(claim.event_date)})",
                              f"{en}the payment date {payment.date} is before the event ({claim.event_date})",
                              "before_event")
        code = _expense_code(claim, payment.source)
        expense = accounts.get(code)
        if expense is None:
            raise field_error("kind", f"{th}ไม่พบบัญชีค่าใช้จ่าย {code}", f"{en}no expense account {code}",
                              "unknown_account")
        source = expense.fund_source or "other"
        if available[source] < claim.amount:
            label = expense.get_fund_source_display()
            others = [(s, available[s]) for s in PAYING_SOURCES if s != source and available[s] >= claim.amount]
            hint_th = "".join(f" ({SOURCE_TH[s]}คงเหลือ {format_baht(a)} บาท: เลือกจ่ายจากส่วนนั้นได้)"
                              for s, a in others[:1])
            hint_en = "".join(f" (the {s} money holds {format_baht(a)}: it can be paid out of that)"
                              for s, a in others[:1])
            raise field_error("amount", f"{th}เงินกองทุนส่วน{label}คงเหลือ {format_baht(available[source])} บาท "
                              f"ไม่พอจ่าย {format_baht(claim.amount)} บาท{hint_th}",
                              f"{en}the fund's {expense.fund_source} money ({format_baht(available[source])}) does "
                              f"not cover {format_baht(claim.amount)}{hint_en}", "insufficient_source")
        available[source] -= claim.amount
        if payment.cash_account in cash:
            if cash[payment.cash_account] < to_baht(claim.amount):
                raise field_error("amount", f"{th}เงินในบัญชี {payment.cash_account} ไม่พอจ่าย "
                                  f"(คงเหลือ {cash[payment.cash_account]:,.2f})",
                                  f"{en}not enough money in {payment.cash_account} "
                                  f"(balance {cash[payment.cash_account]:,.2f})", "insufficient")
            cash[payment.cash_account] -= to_baht(claim.amount)
    from chumchon.welfare.services.documents import next_numbers

    by_year: dict[int, list[int]] = defaultdict(list)
    for i, payment in enumerate(payments):
        by_year[fiscal_year_of(payment.date).be_year].append(i)
    vouchers: list[str] = [""] * len(payments)
    for indexes in by_year.values():
        numbers = next_numbers(fund, "PV", payments[indexes[0]].date, count=len(indexes))
        for i, number in zip(indexes, numbers, strict=True):
            vouchers[i] = number
    entries = ledger.entries_post(actor=actor, book=book, entries=[
        ledger.EntrySpec(
            date=payment.date, reference=voucher,
            # no name in the books: anyone who reads the journal would read who had which benefit (health data);
            # the member number and voucher lead those who may to the claim
            memo=f"สวัสดิการ{claim.kind.name_th}: สมาชิก {claim.membership.member_number}"
                 + ("" if payment.source == "members" else f" (จ่ายจาก{SOURCE_TH[payment.source]})"),
            lines=[ledger.LineSpec(_expense_code(claim, payment.source), debit=to_baht(claim.amount)),
                   ledger.LineSpec(payment.cash_account, credit=to_baht(claim.amount))],
            idempotency_key=ledger.derived_key("claim", claim.idempotency_key))
        for claim, payment, voucher in zip(claims, payments, vouchers, strict=True)
    ])
    for claim, entry, voucher in zip(claims, entries, vouchers, strict=True):
        claim.entry, claim.voucher_number, claim.status = entry, voucher, Claim.Status.PAID
    update_many(claims, ["entry", "voucher_number", "status"])
    _own_funerals_end_memberships(actor=actor, claims=claims)
    audit_record_many(actor=actor, action="welfare.claim_pay", organisation=fund.organisation,
                      items=[(c, f"{c.voucher_number} {c.amount}") for c in claims])
    return claims


def claim_pay(*, actor, claim: Claim, date: datetime.date, cash_account: str = "1101",
              source: str = "members") -> Claim:
    """Pay an approved claim: Dr the benefit's expense account (or, paid out of matching money, that source's
    benefits account) / Cr cash or bank, with a payment voucher number. Refused when the money of the source it is
    paid from, or the cash, would not cover it."""
    return claims_pay_many(actor=actor, payments=[ClaimPayment(claim, date, cash_account, source)])[0]


@transaction.atomic
def pension_batch_prepare(*, actor, fund: Fund, date: datetime.date) -> list[Claim]:
    """The periodic benefit run (elderly pension): a submitted claim for every active member the rule in force
    says is due, for the committee to review before paying. Running it twice for the same date adds nothing."""
    check_claims_actor(actor, fund)
    kind = BenefitKind.objects.get(code="elderly_pension")
    active = list(Membership.objects.filter(fund=fund, status=Membership.Status.ACTIVE).select_related("person")
                  .order_by("pk"))
    assessor = ClaimAssessor(fund, [m.pk for m in active], [kind])
    rule = assessor.rule(kind, date)
    if rule is None or not rule.is_offered:
        raise field_error("fund", "กองทุนไม่มีสวัสดิการบำนาญผู้สูงอายุ", "the fund offers no elderly pension", "no_rule")
    batch = f"pension-{date.isoformat()}"
    # One pension per member per period: a batch run again, or on another day of the same year (or month), pays
    # nobody twice.
    if rule.period == BenefitRule.Period.MONTHLY:
        period_start = date.replace(day=1)
        period_end = (period_start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    else:
        fy = fiscal_year_of(date)
        period_start, period_end = fy.start, fy.end
    already = set(Claim.objects.filter(fund=fund, kind=kind, event_date__gte=period_start, event_date__lte=period_end,
                                       payment_void__isnull=True)  # a cancelled payment is claimed anew
                  .exclude(status=Claim.Status.REJECTED).values_list("membership_id", flat=True))
    taken = set(Claim.objects.filter(fund=fund, idempotency_key__startswith=f"{batch}-")
                .values_list("idempotency_key", flat=True))
    members = [m for m in active if m.pk not in already and f"{batch}-{m.pk}" not in taken]
    submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    made = []
    for m in members:
        _, decision = assessor.assess(m, kind, m.person, date, Decimal(1))
        if decision.eligible:
            made.append(Claim(
                fund=fund, membership=m, kind=kind, rule=rule, beneficiary=m.person, event_date=date,
                amount=decision.amount, eligible=True, explanation=[r.to_dict() for r in decision.reasons],
                batch=batch, idempotency_key=f"{batch}-{m.pk}", submitted_by=submitted_by))
    Claim.objects.bulk_create(made, batch_size=500)
    audit_record(actor=actor, action="welfare.pension_batch_prepare", obj=fund, summary=f"{batch}: {len(made)} claims",
                 organisation=fund.organisation)
    return made


@transaction.atomic
def pension_batch_approve(*, actor, fund: Fund, batch: str, cash_account: str = "1102",
                          source: str = "members") -> tuple[list[Claim], int]:
    """The reviewing committee member approves and pays every submitted claim of a pension batch on its date, in
    one go: all the payments or none (a batch the fund's money or cash cannot cover is refused whole, naming the
    first member it cannot pay). A claim that no longer meets the rules (a member who left since the batch was
    prepared), or the reviewer's own pension, stays submitted for another committee member. Returns the claims
    paid and how many were left."""
    claims = list(Claim.objects.filter(fund=fund, batch=batch, status=Claim.Status.SUBMITTED).order_by("pk"))
    approved = claims_decide_many(actor=actor, claims=claims, approve=True, skip_ineligible=True)
    paid = claims_pay_many(actor=actor, payments=[ClaimPayment(c, c.event_date, cash_account, source)
                                                  for c in approved])
    return paid, len(claims) - len(paid)


def claim_void_refusal(claim: Claim) -> tuple[str, str] | None:
    """Why the claim's payment cannot be cancelled now (Thai, English), or None: shown on the claim's page before a
    reason is typed, and checked again by :func:`claim_payment_void`."""
    if claim.status != Claim.Status.PAID or claim.entry_id is None:
        return "ยกเลิกได้เฉพาะคำขอที่จ่ายแล้ว", "only a paid claim's payment can be cancelled"
    if ClaimPaymentVoid.objects.filter(claim=claim).exists():
        return "ใบสำคัญจ่ายนี้ถูกยกเลิกแล้ว", "this payment is already cancelled"
    paid_on = claim.entry.date
    if ledger.date_in_closed_period(claim.fund.organisation.book, paid_on):
        return (f"การจ่ายลงวันที่ {format_date(paid_on)} อยู่ในงวดที่ปิดบัญชีแล้ว ยกเลิกได้เมื่อเปิดงวดนั้น "
                "หรือบันทึกรายการปรับปรุงในงวดปัจจุบัน",
                f"the payment's date {paid_on} is in a closed period: reopen it, or post a correcting entry in the "
                "current period")
    return None


@transaction.atomic
def claim_payment_void(*, actor, claim: Claim, reason: str, idempotency_key: str):
    """Cancel a benefit paid by mistake (ยกเลิกใบสำคัญจ่าย), once the money is back in the fund's hands: a correcting
    entry on the payment's own day — Dr the cash or bank it was paid from, Cr the benefit's expense — so that day,
    month and year read as if it had not been paid, and the claim no longer counts as a benefit received (caps, the
    refund rule, reports). The claim keeps its row and voucher number, marked cancelled; the right benefit is
    claimed anew. Only while the payment's period is open; a reason is required. A member's own funeral that ended
    the membership leaves it ended: the death stands."""
    claim = Claim.objects.select_for_update(of=("self",)).select_related(
        "fund__organisation__book", "entry", "membership", "kind").get(pk=claim.pk)
    fund = claim.fund
    check_claims_actor(actor, fund)
    existing = ClaimPaymentVoid.objects.filter(fund=fund, idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.claim_id != claim.pk:
            raise field_error("idempotency_key", "คีย์นี้ใช้กับการยกเลิกอื่นไปแล้ว", "key already used for another "
                              "cancellation", "key_reused")
        return existing
    reason = cancel_reason(reason)
    refusal = claim_void_refusal(claim)
    if refusal:
        raise field_error("claim", *refusal, "not_voidable")
    lines = list(claim.entry.lines.select_related("account"))
    entry = ledger.entry_post(
        actor=actor, book=fund.organisation.book, date=claim.entry.date,
        # the reason stays on the cancellation (the claim's page): typed free text can carry health data or names,
        # and the journal is read more widely than the claim
        memo=f"ยกเลิกใบสำคัญจ่าย {claim.voucher_number}: สมาชิก {claim.membership.member_number}",
        lines=[ledger.LineSpec(line.account, debit=line.credit, credit=line.debit) for line in lines],
        idempotency_key=ledger.derived_key("claim-void", idempotency_key), reference=claim.voucher_number)
    void = ClaimPaymentVoid.objects.create(
        claim=claim, fund=fund, reason=reason[:200], entry=entry, idempotency_key=idempotency_key,
        voided_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, action="welfare.claim_payment_void", obj=claim,
                 summary=f"{claim.voucher_number} {claim.amount}: {reason}"[:200], organisation=fund.organisation)
    return void
