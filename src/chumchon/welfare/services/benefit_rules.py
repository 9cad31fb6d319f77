"""Each fund's benefit rules, versioned by the date they take effect."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from chumchon.core.audit import audit_record
from chumchon.welfare.models import BenefitKind, BenefitRule, Fund
from chumchon.welfare.services.common import check_fund_actor

RULE_TERMS = ("is_offered", "waiting_days", "arrears_tolerance_days", "amount_type", "amount", "unit_amount", "tiers",
              "period", "cap_per_event", "cap_per_year", "cap_lifetime", "min_age", "beneficiary",
              "evidence_required")


@transaction.atomic
def benefit_rule_set(*, actor, fund: Fund, kind: BenefitKind, effective_from: datetime.date, **terms) -> BenefitRule:
    """A new version of the fund's rule for ``kind`` from ``effective_from`` (claims with earlier event dates keep
    being judged under the older version). Setting the same date again replaces that version's terms, all of them:
    a term not given takes its default (no cap, no minimum age, …)."""
    check_fund_actor(actor, fund)
    unknown = set(terms) - set(RULE_TERMS)
    if unknown:
        raise TypeError(f"unknown rule terms: {sorted(unknown)}")
    if terms.get("amount_type") == "tiered" and not terms.get("tiers"):
        raise ValidationError({"tiers": ValidationError(
            "ระเบียบแบบขั้นตามอายุสมาชิกต้องมีขั้นอัตรา (a tiered rule needs tiers)", code="required")})
    for tier in terms.get("tiers") or []:
        try:
            int(tier["years"]), Decimal(str(tier["amount"]))
        except (KeyError, ValueError, ArithmeticError) as exc:
            raise ValidationError({"tiers": ValidationError(
                f"ขั้นอัตราไม่ถูกต้อง: {tier} (invalid tier: {tier})", code="invalid")}) from exc
    # A version is its whole set of terms: a term not given takes the model's default (no cap, no minimum age…),
    # also when the same date is set again — a cap cleared on the form is gone, not kept from before.
    whole = {name: BenefitRule._meta.get_field(name).get_default() for name in RULE_TERMS} | terms
    rule, _ = BenefitRule.objects.update_or_create(fund=fund, kind=kind, effective_from=effective_from,
                                                   defaults=whole)
    rule.full_clean()
    audit_record(actor=actor, action="welfare.benefit_rule_set", obj=rule,
                 summary=f"{kind.code} from {effective_from}", data={k: str(v) for k, v in terms.items()},
                 organisation=fund.organisation)
    return rule


# A typical fund's regulations (examples from CODI material: birth 500; hospital 200 a night, at most 600 a stay
# and 1,000 a year; scholarship 500; elderly 200 a year after 3 years of membership; funeral by years of
# membership; waiting periods 180 or 365 days). Each fund edits its own.
TYPICAL_RULES = {
    "newborn": {"amount": Decimal(500), "waiting_days": 180, "beneficiary": "either"},
    "school": {"amount": Decimal(500), "waiting_days": 365, "beneficiary": "either", "cap_per_year": Decimal(500)},
    "hospital": {"amount_type": "per_unit", "unit_amount": Decimal(200), "cap_per_event": Decimal(600),
                 "cap_per_year": Decimal(1000), "waiting_days": 180,
                 "evidence_required": "ใบรับรองแพทย์หรือใบเสร็จโรงพยาบาล"},
    "elderly_pension": {"amount_type": "periodic", "period": "yearly", "amount": Decimal(200), "waiting_days": 1095,
                        "min_age": 60},
    "funeral": {"amount_type": "tiered", "waiting_days": 180, "arrears_tolerance_days": 90, "tiers": [
        {"years": 0, "amount": "3000"}, {"years": 5, "amount": "10000"}, {"years": 10, "amount": "20000"}],
        "evidence_required": "ใบมรณบัตร"},
    "disaster": {"amount": Decimal(2000), "waiting_days": 180},
    "illness_home": {"amount_type": "per_unit", "unit_amount": Decimal(100), "cap_per_event": Decimal(500),
                     "cap_per_year": Decimal(1000), "waiting_days": 180},
}


def typical_rules_set(*, actor, fund: Fund, effective_from: datetime.date) -> list[BenefitRule]:
    kinds = {k.code: k for k in BenefitKind.objects.filter(code__in=TYPICAL_RULES)}
    return [benefit_rule_set(actor=actor, fund=fund, kind=kinds[code], effective_from=effective_from, **terms)
            for code, terms in TYPICAL_RULES.items()]
