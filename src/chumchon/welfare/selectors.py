"""Reads of funds and their members, always scoped."""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from chumchon.access.roles import Action
from chumchon.access.scoping import restrict
from chumchon.core.thai.digits import to_arabic_digits
from chumchon.welfare.models import Fund, Membership

# A claim is personal, often health data (PDPA s.26): the claims list, a claim and its voucher ask for the right to
# see personal data on the fund (the committee, auditors, administrators); the area's staff see benefits added up
# in the reports.
CLAIMS_ACTION = Action.VIEW_PERSONAL


def sees_claims(user, fund: Fund) -> bool:
    return restrict(Fund.objects.filter(pk=fund.pk), user, CLAIMS_ACTION).exists()


def fund_list(user) -> QuerySet[Fund]:
    return (
        restrict(Fund.objects.all(), user, Action.VIEW)
        .select_related("organisation__subdistrict__district__province", "organisation__subdistrict__province")
        .annotate(active_members=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)))
        .order_by("organisation__code")
    )


def fund_members(user, fund: Fund) -> QuerySet[Membership]:
    return (
        restrict(Membership.objects.filter(fund=fund), user, Action.VIEW)
        .select_related("person__personal_data")
        .order_by("member_number")
    )


def money_by_source(fund: Fund) -> dict[str, Decimal]:
    """Money of each fund source the fund can still spend, from the book's running totals (one query): the
    source's fund balance plus its income less its expenses not yet closed into that balance."""
    from chumchon.ledger.models import Account, AccountType, FundSource

    totals = {source.value: Decimal("0.00") for source in FundSource}
    accounts = Account.objects.filter(
        book__organisation=fund.organisation, fund_source__in=list(totals),
        type__in=[AccountType.NET_ASSETS, AccountType.INCOME, AccountType.EXPENSE],
    ).only("type", "fund_source", "debit_total", "credit_total")
    for a in accounts:
        totals[a.fund_source] += -a.balance if a.type == AccountType.EXPENSE else a.balance
    return totals


def fund_status(fund: Fund, on) -> dict:
    """แบบแสดงสถานะกองทุน: the fund status form's figures as they stood on ``on`` (the fiscal year of that date):
    the members who had joined by then, each as it stood that day (:func:`reports.members_on`), the benefits paid
    in the year up to then by payment date (as the benefits report and the books count them, cancelled payments
    left out) and the benefit kinds whose rule in force that day is offered — so a past year's form reads the same
    whenever it is printed. The money (by source, cash) and the last closed year are the books' as they are now:
    the page shows them for today; the yearly report takes a year's money from its own table."""
    from django.db.models import Sum

    from chumchon.core.thai.fiscal import fiscal_year_of
    from chumchon.ledger.models import Account, FundSource, Period
    from chumchon.welfare.models import BenefitRule, Claim
    from chumchon.welfare.reports import members_on

    fy = fiscal_year_of(on)
    members = members_on(fund, on)
    active = [m for m in members if m.active]
    up_to_date = sum(1 for m in active if m.days_in_arrears <= fund.arrears_limit_days)
    book = fund.organisation.book
    money = money_by_source(fund)
    by_source = [{"source": source, "label": source.label, "amount": money[source.value]} for source in FundSource]
    cash = Account.objects.filter(book=book, is_cash=True)
    benefits = (Claim.objects.filter(fund=fund, status=Claim.Status.PAID, payment_void__isnull=True,
                                     entry__date__gte=fy.start, entry__date__lte=min(fy.end, on))
                .values("kind__name_th", "kind__name_en")
                .annotate(n=Count("id"), people=Count("beneficiary", distinct=True), amount=Sum("amount"))
                .order_by("-amount"))
    in_force: dict[int, bool] = {}  # each kind's rule in force on ``on``: the latest version begun by then
    for kind_id, offered in (BenefitRule.objects.filter(fund=fund, effective_from__lte=on)
                             .order_by("kind_id", "effective_from").values_list("kind_id", "is_offered")):
        in_force[kind_id] = offered
    last_closed = (Period.objects.filter(book=book, status=Period.Status.CLOSED).order_by("-fiscal_year")
                   .values_list("fiscal_year", flat=True).first())
    return {
        "fiscal_year": fy, "on": on,
        "members_total": len(members), "members_active": len(active),
        "members_new": sum(1 for m in members if fy.start <= m.row["joined_on"] <= fy.end),
        "members_up_to_date": up_to_date,
        "money_by_source": by_source, "money_total": sum(r["amount"] for r in by_source),
        "cash": sum((a.balance for a in cash), 0),
        "benefits": list(benefits), "benefits_total": sum((b["amount"] for b in benefits), 0),
        "rules_offered": sum(in_force.values()),
        "registry_up_to_date": bool(active) and up_to_date / len(active) >= 0.8,
        "last_closed_year": last_closed,
        "reports_done": last_closed is not None and last_closed >= fy.be_year - 1,
    }


def matching_money(user, fiscal_year: int) -> tuple[list[dict], list[dict]]:
    """Matching money received in a fiscal year, in the user's scope: by source (funds, members, amount) and by
    fund (at most 500 rows)."""
    from django.db.models import Sum

    from chumchon.welfare.models import Grant

    grants = restrict(Grant.objects.filter(fiscal_year=fiscal_year), user, Action.VIEW)
    labels = dict(Grant._meta.get_field("source").choices)
    by_source = [
        {**row, "label": labels.get(row["source"], row["source"])}
        for row in grants.values("source").annotate(funds=Count("fund", distinct=True), amount=Sum("amount"),
                                                    members=Sum("members_covered")).order_by("source")
    ]
    by_fund = list(
        grants.values("fund__organisation__code", "fund__organisation__name_th",
                      "fund__organisation__subdistrict__province__name_th")
        .annotate(amount=Sum("amount"), members=Sum("members_covered")).order_by("fund__organisation__code")[:500]
    )
    return by_source, by_fund


LAPSE_NOTICE_DAYS = 30  # a member past the arrears limit is told first; still past it this long after, lapses


@dataclass(frozen=True)
class LapseStep:
    """What the fund's arrears rule does to one member on a day: ``notice`` (send the notice) or ``lapse``."""

    membership: Membership
    action: str
    days_in_arrears: int
    noticed_on: datetime.date | None
    lapses_on: datetime.date | None = None  # a member waiting out the notice: the day the membership lapses


def lapse_step(membership: Membership, on: datetime.date, limit_days: int,
               notice_days: int = LAPSE_NOTICE_DAYS) -> str | None:
    """The rule, for one active member: past ``limit_days`` in arrears and not yet told → ``notice``; told at least
    ``notice_days`` ago and still past it → ``lapse``; otherwise nothing."""
    if membership.days_in_arrears(on) <= limit_days:
        return None
    if membership.lapse_notice_on is None:
        return "notice"
    return "lapse" if (on - membership.lapse_notice_on).days >= notice_days else None


def lapse_preview(fund: Fund, on: datetime.date, notice_days: int = LAPSE_NOTICE_DAYS,
                  queryset: QuerySet[Membership] | None = None) -> list[LapseStep]:
    """Every active member the arrears rule acts on that day, in member-number order, as
    :func:`chumchon.welfare.services.memberships_lapse` will act: the page shows it before anything is written."""
    members = (queryset if queryset is not None else Membership.objects.filter(fund=fund)).filter(
        status=Membership.Status.ACTIVE).select_related("person").order_by("member_number")
    steps = []
    for m in members:
        m.fund = fund  # what is owed is priced at the fund's rate: one fund, not a query a member
        action = lapse_step(m, on, fund.arrears_limit_days, notice_days)
        if action:
            steps.append(LapseStep(m, action, m.days_in_arrears(on), m.lapse_notice_on))
    return steps


def lapse_digest(steps: list[LapseStep]) -> str:
    """A fingerprint of the list a page showed (each member and what the rule does to them), so that applying it
    writes exactly that list or nothing."""
    shown = ",".join(f"{s.membership.pk}:{s.action}" for s in steps)
    return hashlib.sha256(shown.encode()).hexdigest()[:20]


def lapse_waiting(fund: Fund, on: datetime.date, notice_days: int = LAPSE_NOTICE_DAYS) -> list[LapseStep]:
    """Active members sent a notice who have not paid their way back under the limit and whose notice period has
    not run out by ``on``: the notices to deliver (their letters print from the arrears page), each with the day
    the notice was recorded (``noticed_on``) — they lapse ``notice_days`` after it."""
    members = (Membership.objects.filter(fund=fund, status=Membership.Status.ACTIVE, lapse_notice_on__isnull=False,
                                         lapse_notice_on__lte=on).select_related("person").order_by("member_number"))
    members = list(members)
    for m in members:
        m.fund = fund  # one fund for the rate, not a query a member
    return [LapseStep(m, "waiting", m.days_in_arrears(on), m.lapse_notice_on,
                      m.lapse_notice_on + datetime.timedelta(days=notice_days)) for m in members
            if m.days_in_arrears(on) > fund.arrears_limit_days and (on - m.lapse_notice_on).days < notice_days]


def member_by_number(user, fund: Fund, typed: str, action: str = Action.VIEW) -> Membership | None:
    """The member of ``fund`` with a number as a person types it: as registered, or — when it is digits, in Thai
    or Arabic — the same number written with leading zeros (``1`` and ``๑`` find ``00001``). ``None`` when there
    is none ``user`` may ``action``. One query, through the unique (fund, member number) key."""
    number = to_arabic_digits(str(typed or "")).strip()
    if not number:
        return None
    candidates = [number]
    if number.isdigit():
        bare = number.lstrip("0") or "0"
        width = Membership._meta.get_field("member_number").max_length
        candidates += [bare.zfill(w) for w in range(len(bare), width + 1) if bare.zfill(w) != number]
    found = list(restrict(Membership.objects.filter(fund=fund, member_number__in=candidates), user, action)
                 .select_related("person", "fund__organisation"))
    # Two members whose numbers differ only in their zeros (1 and 001): the one typed exactly, else neither.
    exact = [m for m in found if m.member_number == number]
    member = exact[0] if exact else (found[0] if len(found) == 1 else None)
    if member is not None:
        member.fund = fund
    return member
