"""Benefits out: submitting a claim, the committee's decision (never by the submitter), paying it, and the
periodic pension batch."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from chumchon.core.audit import audit_record
from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.core.thai.money import format_baht, to_baht
from chumchon.ledger import services as ledger
from chumchon.ledger.models import Account
from chumchon.welfare import rules
from chumchon.welfare.models import BenefitKind, BenefitRule, Claim, ClaimEvidence, Fund, Membership
from chumchon.welfare.services.common import check_fund_actor, field_error

ZERO = Decimal("0.00")


def rule_in_force(fund: Fund, kind: BenefitKind, on: datetime.date) -> BenefitRule | None:
    """The fund's rule for ``kind`` in force on a date: the newest version that had started by then."""
    return (BenefitRule.objects.select_related("kind").filter(fund=fund, kind=kind, effective_from__lte=on)
            .order_by("-effective_from").first())


def claim_facts(membership: Membership, kind: BenefitKind, beneficiary, event_date: datetime.date,
                units: Decimal, exclude_claim: Claim | None = None) -> rules.ClaimFacts:
    fy = fiscal_year_of(event_date)
    counted = Claim.objects.filter(membership=membership, kind=kind,
                                   status__in=[Claim.Status.APPROVED, Claim.Status.PAID])
    if exclude_claim is not None:
        counted = counted.exclude(pk=exclude_claim.pk)
    sums = counted.aggregate(
        year=Sum("amount", filter=Q(event_date__gte=fy.start, event_date__lte=fy.end)),
        lifetime=Sum("amount", filter=Q(beneficiary=beneficiary)),
    )
    is_member = beneficiary.pk == membership.person_id
    return rules.ClaimFacts(
        event_date=event_date, joined_on=membership.joined_on, membership_status=membership.status,
        days_in_arrears=membership.days_in_arrears(event_date), units=Decimal(units),
        beneficiary_is_member=is_member,
        beneficiary_is_dependant=not is_member and membership.dependants.filter(person=beneficiary).exists(),
        beneficiary_birth_date=beneficiary.birth_date, paid_this_year=sums["year"] or ZERO,
        paid_lifetime=sums["lifetime"] or ZERO,
    )


def claim_evaluate(claim: Claim) -> rules.Decision:
    rule = rule_in_force(claim.fund, claim.kind, claim.event_date)
    facts = claim_facts(claim.membership, claim.kind, claim.beneficiary, claim.event_date, claim.units,
                        exclude_claim=claim)
    decision = rules.evaluate(rule, facts)
    claim.rule = rule
    return decision


@transaction.atomic
def claim_submit(*, actor, membership: Membership, kind: BenefitKind, event_date: datetime.date,
                 idempotency_key: str, units=1, beneficiary=None, consent: bool = False,
                 evidence: list | None = None) -> Claim:
    """Record a claim with its evidence and check it against the rules at once (the explanation is kept)."""
    membership = Membership.objects.select_related("fund__organisation", "person").get(pk=membership.pk)
    fund = membership.fund
    check_fund_actor(actor, fund)
    units = Decimal(str(units))
    if units < 0:
        raise field_error("units", "จำนวนหน่วยต้องไม่ติดลบ", "units cannot be negative", "negative")
    existing = Claim.objects.filter(fund=fund, idempotency_key=idempotency_key).first()
    if existing is not None:
        same = (existing.membership_id, existing.kind_id, existing.event_date, existing.units) == (
            membership.pk, kind.pk, event_date, units)
        if not same:
            raise field_error("idempotency_key", "คีย์นี้ใช้กับคำขออื่นไปแล้ว", "key already used for another claim",
                         "key_reused")
        return existing
    if kind.health_data and not consent:
        raise field_error("consent", "สวัสดิการนี้มีข้อมูลสุขภาพ ต้องได้รับความยินยอมโดยชัดแจ้งจากผู้ขอ (พ.ร.บ.คุ้มครองข้อมูลฯ ม.26)",
                     "this benefit carries health data: record the claimant's explicit consent (PDPA s.26)", "consent")
    if event_date > timezone.localdate():
        raise field_error("event_date", "วันที่เกิดเหตุอยู่ในอนาคต", "the event date is in the future", "future")
    beneficiary = beneficiary or membership.person
    claim = Claim(fund=fund, membership=membership, kind=kind, beneficiary=beneficiary, event_date=event_date,
                  units=units, idempotency_key=idempotency_key,
                  consent_at=timezone.now() if consent else None,
                  submitted_by=actor if getattr(actor, "is_authenticated", False) else None)
    decision = claim_evaluate(claim)
    claim.eligible, claim.amount = decision.eligible, decision.amount
    claim.explanation = [r.to_dict() for r in decision.reasons]
    claim.save()
    for item in evidence or []:
        ClaimEvidence.objects.create(claim=claim, file=item, description=getattr(item, "name", "")[:200])
    audit_record(actor=actor, action="welfare.claim_submit", obj=claim,
                 summary=f"{kind.code} {membership.member_number} {decision.amount}", organisation=fund.organisation)
    return claim


@transaction.atomic
def claim_decide(*, actor, claim: Claim, approve: bool, reason: str = "") -> Claim:
    """The committee's decision. The approver is not the submitter; an approval re-checks the rules (another
    claim may have used the year's cap since) and a claim outside the rules cannot be approved."""
    claim = (Claim.objects.select_for_update(of=("self",))
             .select_related("fund__organisation", "membership", "kind").get(pk=claim.pk))
    check_fund_actor(actor, claim.fund)
    if claim.status != Claim.Status.SUBMITTED:
        raise field_error("status", f"คำขอนี้{claim.get_status_display()}แล้ว", f"this claim is already {claim.status}",
                     "decided")
    if claim.submitted_by_id is not None and claim.submitted_by_id == getattr(actor, "pk", None):
        raise field_error("decided_by", "ผู้ยื่นคำขอพิจารณาอนุมัติเองไม่ได้ ต้องเป็นกรรมการคนอื่น",
                     "the person who submitted a claim cannot decide it", "four_eyes")
    if approve:
        decision = claim_evaluate(claim)
        claim.eligible, claim.amount = decision.eligible, decision.amount
        claim.explanation = [r.to_dict() for r in decision.reasons]
        if not decision.eligible:
            raise field_error("status", f"คำขอไม่เป็นไปตามระเบียบ: {decision.text_th}",
                         f"the claim is outside the rules: {decision.text_en}", "ineligible")
    elif len(reason.strip()) < 3:
        raise field_error("reason", "กรุณาระบุเหตุผลที่ไม่อนุมัติ", "please give the reason for rejecting", "required")
    claim.status = Claim.Status.APPROVED if approve else Claim.Status.REJECTED
    claim.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    claim.decided_at = timezone.now()
    claim.decision_reason = reason.strip()
    claim.save()
    audit_record(actor=actor, action="welfare.claim_approve" if approve else "welfare.claim_reject", obj=claim,
                 summary=f"{claim.kind.code} {claim.amount} {reason}"[:200], organisation=claim.fund.organisation)
    return claim


def available_by_source(fund: Fund, source: str) -> Decimal:
    """Money of one source the fund can still spend (see :func:`chumchon.welfare.selectors.money_by_source`)."""
    from chumchon.welfare.selectors import money_by_source

    return money_by_source(fund)[source or "other"]


def _own_funeral_ends_membership(*, actor, claim: Claim) -> bool:
    """A member's own funeral paid: the membership ends on the date of death (the history stays). The caller has
    checked that the actor may act for the fund."""
    membership = claim.membership
    if claim.kind.code != "funeral" or claim.beneficiary_id != membership.person_id or \
            membership.status != Membership.Status.ACTIVE:
        return False
    membership.status, membership.ended_on = Membership.Status.DECEASED, claim.event_date
    membership.save(update_fields=["status", "ended_on"])
    audit_record(actor=actor, action="welfare.membership_end", obj=membership,
                 summary=f"{Membership.Status.DECEASED} {claim.event_date}")
    return True


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
        check_fund_actor(actor, fund)
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


@transaction.atomic
def claim_pay(*, actor, claim: Claim, date: datetime.date, cash_account: str = "1101") -> Claim:
    """Pay an approved claim: Dr the benefit's expense account / Cr cash or bank, with a payment voucher number.
    Refused when the money of the source it is paid from, or the cash, would not cover it."""
    claim = (Claim.objects.select_for_update(of=("self",))
             .select_related("fund__organisation__book", "kind", "membership__person").get(pk=claim.pk))
    fund = claim.fund
    check_fund_actor(actor, fund)
    if claim.status != Claim.Status.APPROVED:
        raise field_error("status", "จ่ายได้เฉพาะคำขอที่อนุมัติแล้ว", "only an approved claim can be paid", "not_approved")
    book = fund.organisation.book
    expense = Account.objects.get(book=book, code=claim.kind.expense_account)
    available = available_by_source(fund, expense.fund_source)
    if available < claim.amount:
        source = expense.get_fund_source_display()
        raise field_error("amount", f"เงินกองทุนส่วน{source}คงเหลือ {format_baht(available)} บาท "
                     f"ไม่พอจ่าย {format_baht(claim.amount)} บาท",
                     f"the fund's {expense.fund_source} money ({format_baht(available)}) does not cover "
                     f"{format_baht(claim.amount)}", "insufficient_source")
    from chumchon.welfare.services.documents import next_numbers

    voucher = next_numbers(fund, "PV", date)[0]
    entry = ledger.payment_post(
        actor=actor, book=book, date=date, amount=to_baht(claim.amount), expense_account=expense.code,
        cash_account=cash_account, reference=voucher,
        idempotency_key=ledger.derived_key("claim", claim.idempotency_key),
        memo=f"สวัสดิการ{claim.kind.name_th}: {claim.membership.member_number} {claim.beneficiary.full_name}",
    )
    claim.entry, claim.voucher_number, claim.status = entry, voucher, Claim.Status.PAID
    claim.save(update_fields=["entry", "voucher_number", "status"])
    _own_funeral_ends_membership(actor=actor, claim=claim)
    audit_record(actor=actor, action="welfare.claim_pay", obj=claim, summary=f"{voucher} {claim.amount}",
                 organisation=fund.organisation)
    return claim


@transaction.atomic
def pension_batch_prepare(*, actor, fund: Fund, date: datetime.date) -> list[Claim]:
    """The periodic benefit run (elderly pension): a submitted claim for every active member the rule in force
    says is due, for the committee to review before paying. Running it twice for the same date adds nothing."""
    check_fund_actor(actor, fund)
    kind = BenefitKind.objects.get(code="elderly_pension")
    rule = rule_in_force(fund, kind, date)
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
    already = set(Claim.objects.filter(fund=fund, kind=kind, event_date__gte=period_start, event_date__lte=period_end)
                  .exclude(status=Claim.Status.REJECTED).values_list("membership_id", flat=True))
    made = []
    for m in Membership.objects.filter(fund=fund, status=Membership.Status.ACTIVE).select_related("person"):
        key = f"{batch}-{m.pk}"
        if m.pk in already or Claim.objects.filter(fund=fund, idempotency_key=key).exists():
            continue
        facts = claim_facts(m, kind, m.person, date, Decimal(1))
        decision = rules.evaluate(rule, facts)
        if not decision.eligible:
            continue
        made.append(Claim.objects.create(
            fund=fund, membership=m, kind=kind, rule=rule, beneficiary=m.person, event_date=date,
            amount=decision.amount,
            eligible=True, explanation=[r.to_dict() for r in decision.reasons], batch=batch, idempotency_key=key,
            submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        ))
    audit_record(actor=actor, action="welfare.pension_batch_prepare", obj=fund, summary=f"{batch}: {len(made)} claims",
                 organisation=fund.organisation)
    return made
