"""The synthetic country (`chumchon synth`): funds in subdistricts of every province, members with valid national
IDs and plausible Thai names, ages and villages, contribution histories, matching grants and claims of every kind
under varied fund rules — all written through the real services, so every ledger rule holds — calibrated so that
the figures at the end of the calibration's fiscal year equal its targets (scaled) exactly.

How each target is met (targets scaled by ``round(target × scale)``, money to the baht):

- *funds*: that many funds, one per subdistrict, dealt to the provinces in turn (every province once there are
  at least 77);
- *members*: active members on 30 September = people enrolled − members whose own funeral was paid; the
  generator enrols the target plus the planned deaths;
- *recipients* and *payouts*: split over funds (by members) and recorded fiscal years; in each fund-year that many
  distinct members receive one benefit each, of a kind chosen by age, and the year's last benefit is the fund's
  "other benefit" (a per-baht rule) for exactly what is left of the year's payout target;
- *matched funds / members / matching money*: government grants in the fiscal year to that many funds, covering
  that many members, adding up to that money;
- *fund money*: what the funds held before Chumchon is posted as each fund's opening balance (by source, on the
  day before the first recorded year), chosen as target − contributions − grants + payouts, so the money by
  source at the year's end adds up to the target.

Contributions: members who joined before Chumchon are paid up to the day before the first recorded year; on each
year's October collection day every member pays วันละบาท up to the end of that fiscal year (a member who joined
during the last year pays from the joining day), so no member chosen for a benefit is in arrears.
"""

import datetime
import random
import time
import tomllib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from chumchon.access.models import User
from chumchon.access.roles import Role, ScopeKind
from chumchon.core.audit import audit_record
from chumchon.core.thai.errors import ThaiInputError
from chumchon.core.thai.fiscal import FiscalYear
from chumchon.core.thai.national_id import make_valid
from chumchon.demo import names
from chumchon.geo import services as geo_services
from chumchon.geo.models import Province, RegionScheme, Subdistrict, Village
from chumchon.insights.synth_councils import CouncilBuilder, CouncilTargets
from chumchon.insights.workers import check_can_fork, run_forked
from chumchon.ledger import services as ledger
from chumchon.ledger.models import Account
from chumchon.people import services as people_services
from chumchon.people.models import Person, Sex, Title
from chumchon.welfare import services as welfare
from chumchon.welfare.models import BenefitKind, Claim, Fund, Membership

COUNT_TARGETS = ("funds", "members", "recipients", "matched_funds", "matched_members")
MONEY_TARGETS = ("fund_money", "payouts", "matching_money")
OPENING_ACCOUNTS = {"members": "3101", "government": "3102", "local": "3103", "donations": "3104",
                    "interest": "3105", "other": "3106"}


class SynthError(ThaiInputError):
    """A calibration that cannot be built (a missing target, targets that contradict each other)."""


@dataclass(frozen=True)
class Calibration:
    title: str
    fiscal_year: int
    history_from: int
    seed: int
    targets: dict[str, Decimal]
    shape: dict = field(default_factory=dict)
    councils: dict = field(default_factory=dict)  # the optional [councils] section (see synth_councils)

    @classmethod
    def load(cls, path: str | Path) -> "Calibration":
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SynthError("config", f"อ่านไฟล์ตั้งค่า {path} ไม่ได้: {exc}", f"cannot read the config {path}: {exc}") \
                from None
        dataset, targets = data.get("dataset", {}), data.get("targets", {})
        missing = [t for t in COUNT_TARGETS + MONEY_TARGETS if t not in targets]
        if missing:
            raise SynthError("targets", f"ไฟล์ตั้งค่าไม่มีเป้าหมาย: {', '.join(missing)}",
                             f"the config lacks targets: {', '.join(missing)}")
        try:
            fy = FiscalYear.parse(dataset.get("fiscal_year", "")).be_year
            start = FiscalYear.parse(dataset.get("history_from", fy)).be_year
            parsed = {t: Decimal(str(targets[t])) for t in COUNT_TARGETS + MONEY_TARGETS}
        except (ValueError, ArithmeticError, TypeError) as exc:
            raise SynthError("targets", f"ค่าในไฟล์ตั้งค่าไม่ถูกต้อง: {exc}", f"bad value in the config: {exc}") from None
        if start > fy:
            raise SynthError("history_from", "ปีเริ่มบันทึก (history_from) ต้องไม่หลังปีงบประมาณ",
                             "history_from is after fiscal_year")
        if FiscalYear(fy).end >= timezone.localdate():
            raise SynthError("fiscal_year", f"ปีงบประมาณ {fy} ยังไม่สิ้นสุด", f"fiscal year {fy} has not ended yet")
        return cls(title=dataset.get("title", str(path)), fiscal_year=fy, history_from=start,
                   seed=int(dataset.get("seed", 0)), targets=parsed, shape=data.get("shape", {}),
                   councils=data.get("councils", {}))

    def scaled(self, scale: float | Decimal) -> dict[str, object]:
        """The targets at a scale: counts rounded half up, money to the baht."""
        s = Decimal(str(scale))
        if s <= 0:
            raise SynthError("scale", "สเกลต้องมากกว่าศูนย์", "the scale must be above zero")
        out = {t: int((self.targets[t] * s).quantize(Decimal(1), ROUND_HALF_UP)) for t in COUNT_TARGETS}
        out |= {t: (self.targets[t] * s).quantize(Decimal(1), ROUND_HALF_UP) for t in MONEY_TARGETS}
        return out


def split(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` into whole numbers that add up to it (largest remainder)."""
    whole = sum(weights)
    if total == 0 or not weights:
        return [0] * len(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: parts[i] - raw[i])[: total - sum(parts)]:
        parts[i] += 1
    return parts


@dataclass
class _Person:
    age: int
    joined_on: datetime.date
    dies_in: int | None = None
    birth: datetime.date | None = None
    membership: Membership | None = None
    paid_through: datetime.date | None = None


@dataclass
class Plan:
    subdistrict: Subdistrict
    members: int
    recipients: dict[int, int]
    payouts: dict[int, Decimal]
    fund_money: Decimal
    matched_members: int = 0
    matching_money: Decimal = Decimal(0)
    local_grant: Decimal = Decimal(0)


def _rules(rng: random.Random) -> dict[str, dict]:
    """One fund's benefit rules: the kinds every fund offers, on terms that vary from fund to fund."""
    c = rng.choice
    D = Decimal
    return {
        "newborn": {"amount": D(c([500, 1000])), "beneficiary": "either"},
        "school": {"amount": D(c([300, 500])), "waiting_days": 365, "beneficiary": "either"},
        "hospital": {"amount_type": "per_unit", "unit_amount": D(c([200, 300])), "cap_per_event": D(c([600, 900])),
                     "cap_per_year": D(1500)},
        "elderly_pension": {"amount_type": "periodic", "period": "yearly", "amount": D(c([200, 300, 600])),
                            "waiting_days": 1095, "min_age": 60},
        "funeral": {"amount_type": "tiered", "tiers": c([
            [{"years": 0, "amount": "3000"}, {"years": 5, "amount": "10000"}, {"years": 10, "amount": "20000"}],
            [{"years": 0, "amount": "2000"}, {"years": 3, "amount": "5000"}, {"years": 10, "amount": "15000"}]])},
        "disadvantaged": {"amount": D(c([500, 1000]))},
        "disabled": {"amount": D(c([500, 1000]))},
        "occupation": {"amount": D(c([1000, 2000]))},
        "disaster": {"amount": D(c([1000, 2000, 3000]))},
        "house_repair": {"amount": D(c([2000, 3000]))},
        "farmland": {"amount": D(1000)},
        "illness_home": {"amount_type": "per_unit", "unit_amount": D(100), "cap_per_event": D(500)},
        "ordination": {"amount": D(500)},
        "marriage": {"amount": D(500)},
        "emergency": {"amount": D(c([500, 1000]))},
        # The committee's discretionary benefit, decided in baht: the year's last benefit takes what is left.
        "other": {"amount_type": "per_unit", "unit_amount": D(1)},
    }


def _most(terms: dict, units: int, years: int) -> Decimal:
    """The most a rule pays for ``units`` to a member of ``years`` (an upper bound for the budget)."""
    kind = terms.get("amount_type", "fixed")
    if kind == "per_unit":
        value = terms["unit_amount"] * units
        return min(value, terms["cap_per_event"]) if "cap_per_event" in terms else value
    if kind == "tiered":
        return max((Decimal(t["amount"]) for t in terms["tiers"] if years >= t["years"]), default=Decimal(0))
    return terms["amount"]


YOUNG_KINDS = ["newborn", "school", "hospital", "disadvantaged", "disabled", "occupation", "disaster", "house_repair",
               "farmland", "illness_home", "ordination", "marriage", "emergency"]
OLD_KINDS = ["elderly_pension", "elderly_pension", "hospital", "illness_home", "disabled", "disaster", "emergency"]


class Generator:
    def __init__(self, calibration: Calibration, scale: float, seed: int | None = None, out=None):
        self.cal = calibration
        self.scale = scale
        self.targets = calibration.scaled(scale)
        self.seed = calibration.seed if seed is None else seed
        self.rng = random.Random(self.seed)  # noqa: S311 - reproducible data
        self.out = out or (lambda text: None)
        self.years = list(range(calibration.history_from, calibration.fiscal_year + 1))
        self.kinds = {k.code: k for k in BenefitKind.objects.all()}
        self.timings: dict[str, float] = {}
        self.council_targets = CouncilTargets.from_config(calibration.councils, scale)

    # --- planning ----------------------------------------------------------------------------------------
    def _check(self) -> None:
        t = self.targets
        problems = [
            (t["funds"] < 1, "funds", "ต้องมีอย่างน้อย 1 กองทุน", "at least one fund is needed"),
            (t["members"] < t["funds"] * 20, "members", "สมาชิกต้องมีอย่างน้อย 20 คนต่อกองทุน",
             "at least 20 members a fund are needed"),
            (t["matched_funds"] > t["funds"], "matched_funds", "กองทุนที่ได้รับเงินสมทบมากกว่าจำนวนกองทุน",
             "more matched funds than funds"),
            (t["matched_members"] > t["members"], "matched_members", "สมาชิกที่ได้รับการสมทบมากกว่าสมาชิกทั้งหมด",
             "more matched members than members"),
            (t["payouts"] < t["recipients"], "payouts", "เงินจ่ายสวัสดิการน้อยกว่า 1 บาทต่อราย",
             "payouts below 1 baht a recipient"),
            (t["recipients"] > t["members"] * len(self.years) // 2, "recipients",
             "ผู้รับสวัสดิการมากเกินกว่าครึ่งหนึ่งของสมาชิกต่อปี", "more recipients than half the members a year"),
            (t["matched_funds"] == 0 and (t["matching_money"] or t["matched_members"]), "matched_funds",
             "มีเงินสมทบแต่ไม่มีกองทุนที่ได้รับ", "matching money without matched funds"),
        ]
        for bad, name, th, en in problems:
            if bad:
                raise SynthError(name, f"เป้าหมาย {name}: {th}", f"target {name}: {en}")

    def plan(self) -> list[Plan]:
        self._check()
        t, rng = self.targets, self.rng
        taken = set(Fund.objects.values_list("organisation__subdistrict_id", flat=True))
        by_province: dict[str, list[Subdistrict]] = {}
        for sub in Subdistrict.objects.order_by("code").only("code", "name_th", "province_id", "district_id"):
            if sub.code not in taken:
                by_province.setdefault(sub.province_id, []).append(sub)
        provinces = sorted(by_province)
        rng.shuffle(provinces)
        # Deal the funds to the provinces in turn; a province whose subdistricts all have a fund leaves the round
        # (at scale 1.0 the 5,916 funds fill most of the small provinces' 7,436 subdistricts).
        if t["funds"] > sum(len(pool) for pool in by_province.values()):
            raise SynthError("funds", "ตำบลไม่พอสำหรับกองทุน", "not enough free subdistricts for the funds")
        subs, turn = [], 0
        for _ in range(t["funds"]):
            pool = by_province[provinces[turn]]
            subs.append(pool.pop(rng.randrange(len(pool))))
            if pool:
                turn += 1
            else:
                provinces.pop(turn)
            turn = turn % len(provinces) if provinces else 0
        weights = [rng.uniform(0.4, 1.6) for _ in subs]
        members = [20 + m for m in split(t["members"] - 20 * len(subs), weights)]
        recipients = split(t["recipients"], members)
        payouts = split(int(t["payouts"]), recipients)
        money = split(int(t["fund_money"]), members)
        plans = []
        for sub, m, r, p, f in zip(subs, members, recipients, payouts, money, strict=True):
            by_year = split(r, [1.0] * len(self.years))
            paid = split(p, by_year) if r else [0] * len(self.years)
            plans.append(Plan(sub, m, dict(zip(self.years, by_year, strict=True)),
                              {y: Decimal(a) for y, a in zip(self.years, paid, strict=True)}, Decimal(f)))
        for plan in plans:
            for y in self.years:
                if plan.payouts[y] < plan.recipients[y]:
                    raise SynthError("payouts", "เงินจ่ายสวัสดิการต่อรายน้อยเกินไป", "payouts per recipient too small")
        if t["matched_funds"]:
            matched = sorted(rng.sample(range(len(plans)), t["matched_funds"]))
            if sum(plans[i].members for i in matched) < t["matched_members"]:
                matched = sorted(range(len(plans)), key=lambda i: -plans[i].members)[: t["matched_funds"]]
            if sum(plans[i].members for i in matched) < t["matched_members"]:
                raise SynthError("matched_members",
                                 "เป้าหมาย matched_members: สมาชิกที่ได้รับการสมทบมากกว่าสมาชิกของกองทุนที่ได้รับ",
                                 "target matched_members: more matched members than the matched funds have")
            covered = _split_capped(t["matched_members"], [plans[i].members for i in matched])
            amounts = split(int(t["matching_money"]), [max(c, 1) for c in covered])
            for i, c, a in zip(matched, covered, amounts, strict=True):
                plans[i].matched_members, plans[i].matching_money = c, Decimal(a)
        if len(self.years) > 1:
            for plan in plans:
                if rng.random() < float(self.cal.shape.get("local_grant_share", 0.2)):
                    plan.local_grant = Decimal(rng.randrange(5, 50) * 1000)
        return plans

    # --- building ----------------------------------------------------------------------------------------
    def actors(self) -> tuple[User, User]:
        """Two national administrators: one records, the other decides claims (never the same person)."""
        from chumchon.access import services as access_services

        made = []
        for username in ("synth-recorder", "synth-reviewer"):
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": username})
            if created:
                user.set_unusable_password()
                user.save()
                access_services.role_assign(actor=None, user=user, role=Role.ADMINISTRATOR,
                                            scope_kind=ScopeKind.NATIONAL)
            made.append(user)
        return made[0], made[1]

    def _funds(self, plans: list[Plan], recorder: User, reviewer: User, started: float, label: str = "") -> dict:
        """Build the funds one after another, each in its own transaction."""
        totals = {"funds": 0, "people": 0, "claims": 0, "contributions": 0}
        for n, plan in enumerate(plans, 1):
            with transaction.atomic():
                built = self.fund(plan, recorder, reviewer)
            for k in totals:
                totals[k] += built.get(k, 0)
            if n % max(1, len(plans) // 10) == 0 or n == len(plans):
                self.out(f"  {label}{n}/{len(plans)} funds, {totals['people']:,} people, {totals['claims']:,} claims "
                         f"({time.perf_counter() - started:.1f} s)")
        return totals

    def _funds_in_workers(self, plans: list[Plan], recorder: User, reviewer: User, workers: int,
                          started: float) -> dict:
        """Build the funds in ``workers`` forked processes (PostgreSQL only: funds are independent and each is one
        transaction), every worker taking every n-th fund; the totals come back through pipes."""
        parts = run_forked([
            lambda k=k: self._funds(plans[k::workers], recorder, reviewer, started, label=f"[{k + 1}/{workers}] ")
            for k in range(workers)])
        return {key: sum(part[key] for part in parts) for key in ("funds", "people", "claims", "contributions")}

    def run(self, workers: int = 1) -> dict:
        started = time.perf_counter()
        if not Province.objects.exists():  # a fresh database: the country's areas first (idempotent loaders)
            geo_services.geography_load()
        if not RegionScheme.objects.filter(is_default=True).exists():
            geo_services.regions_load()
        plans = self.plan()
        recorder, reviewer = self.actors()
        if workers > 1:
            check_can_fork()
            totals = self._funds_in_workers(plans, recorder, reviewer, workers, started)
        else:
            totals = self._funds(plans, recorder, reviewer, started)
        if self.council_targets is not None:
            builder = CouncilBuilder(self.council_targets, self.cal.fiscal_year, self.rng, recorder, self.out,
                                     seed=self.seed)
            totals |= builder.run([plan.subdistrict.code for plan in plans], workers=workers)
        totals["seconds"] = round(time.perf_counter() - started, 1)
        return totals

    def _people(self, plan: Plan, fund: Fund, founded: datetime.date, actor) -> list[_Person]:
        rng, first = self.rng, FiscalYear(self.years[0])
        new_share = float(self.cal.shape.get("new_member_share", 0.04))
        death_share = float(self.cal.shape.get("deaths_per_recipient", 0.03))
        deaths = {y: min(int(plan.recipients[y] * death_share), max(0, plan.recipients[y] - 1),
                         int((plan.payouts[y] - plan.recipients[y]) // 20000)) for y in self.years}
        count = plan.members + sum(deaths.values())
        if count > 99_999:
            raise SynthError("members", "สมาชิกเกิน 99,999 คนต่อกองทุน", f"more than 99,999 people in one fund ({count})")
        villages = list(range(1, max(3, min(20, count // 120)) + 1))
        for number in villages:
            Village.objects.get_or_create(subdistrict=plan.subdistrict, number=number)
        people = []
        today = FiscalYear(self.cal.fiscal_year).end
        old_until = first.start - datetime.timedelta(days=400)
        for i in range(count):
            new_year = next((y for y in self.years if rng.random() < new_share), None)
            if new_year is not None and i >= sum(deaths.values()):
                fy = FiscalYear(new_year)
                joined = fy.start + datetime.timedelta(days=rng.randrange(20, 330))
            else:
                joined = founded + datetime.timedelta(days=rng.randrange(max(1, (old_until - founded).days)))
            age = rng.choice([rng.randint(1, 17), rng.randint(18, 59), rng.randint(18, 59), rng.randint(60, 92)])
            birth = datetime.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
            people.append(_Person(age=age, joined_on=max(joined, birth + datetime.timedelta(days=1)), birth=birth))
        # The planned deaths are older members of long standing.
        pool = [p for p in people if p.joined_on < old_until]
        rng.shuffle(pool)
        for y in self.years:
            for _ in range(deaths[y]):
                pool.pop().dies_in = y
        # Everyone enters the way a fund's member list is imported: people and memberships in two bulk writes
        # (people.services.people_bulk_create, welfare.services.memberships_bulk_enrol), members who joined
        # before Chumchon carrying the register's "paid up to" date, and one audit row for the fund's list.
        rows, memberships = [], []
        opening_paid = first.start - datetime.timedelta(days=1)
        for i, p in enumerate(people, 1):
            female = rng.random() < 0.55
            if p.age < 15:
                title = Title.GIRL if female else Title.MASTER
            else:
                title = (Title.MRS if rng.random() < 0.7 else Title.MISS) if female else Title.MR
            village = rng.choice(villages)
            person = Person(title=title, first_name=rng.choice(names.FEMALE if female else names.MALE),
                            last_name=rng.choice(names.SURNAMES), birth_date=p.birth,
                            sex=Sex.FEMALE if female else Sex.MALE, house_number=str(rng.randint(1, 300)),
                            village_number=village, subdistrict=plan.subdistrict, registered_by=fund.organisation)
            rows.append((person, self._national_id(plan.subdistrict.code, i), ""))
            p.membership = Membership(fund=fund, person=person, member_number=f"{i:06d}", joined_on=p.joined_on,
                                      village_number=village,
                                      paid_through=opening_paid if p.joined_on < first.start else None)
            memberships.append(p.membership)
        people_services.people_bulk_create(actor=actor, people=rows)
        welfare.memberships_bulk_enrol(actor=actor, memberships=memberships)
        audit_record(actor=actor, action="insights.synth_members", obj=fund, organisation=fund.organisation,
                     summary=f"{len(memberships):,} synthetic members enrolled", data={"members": len(memberships)})
        return people

    def _national_id(self, subdistrict_code: str, number: int) -> str:
        """A valid national ID, unique by construction (its middle digits are the fund's subdistrict code, which
        starts with the province's, and the member's number), so funds built in parallel never collide."""
        return make_valid(self.rng.choice("1358") + subdistrict_code + f"{number:05d}")

    def fund_rng(self, plan: Plan) -> random.Random:
        """Each fund draws from its own generator, seeded by the run's seed and the fund's subdistrict: the country
        is the same whether its funds are built one after another or by several workers."""
        return random.Random(f"{self.seed}:{plan.subdistrict.code}")  # noqa: S311 - reproducible data

    def fund(self, plan: Plan, recorder: User, reviewer: User) -> dict:
        main, self.rng = self.rng, self.fund_rng(plan)
        try:
            return self._fund(plan, recorder, reviewer)
        finally:
            self.rng = main

    def _fund(self, plan: Plan, recorder: User, reviewer: User) -> dict:
        rng, first = self.rng, FiscalYear(self.years[0])
        founded = datetime.date(rng.randint(2005, first.start.year - 3), rng.randint(1, 12), 1)
        sub = plan.subdistrict
        fund = welfare.fund_create(actor=recorder, code=f"SY-{sub.code}", name_th=f"กองทุนสวัสดิการชุมชนตำบล{sub.name_th}",
                                   subdistrict=sub, founded_on=founded)
        rules = _rules(rng)
        for code, terms in rules.items():
            welfare.benefit_rule_set(actor=recorder, fund=fund, kind=self.kinds[code], effective_from=founded, **terms)
        people = self._people(plan, fund, founded, recorder)
        book = fund.organisation.book
        # Contributions: every October collection day, each member who joined before it pays up to the year's end.
        collections = {y: datetime.date(FiscalYear(y).start.year, 10, 15) for y in self.years}
        dues: dict[int, list[tuple[_Person, Decimal]]] = {}
        for p in people:
            p.paid_through = (first.start if p.joined_on < first.start else p.joined_on) - datetime.timedelta(days=1)
        for y in self.years:
            end, dues[y] = FiscalYear(y).end, []
            for p in people:
                if p.joined_on < collections[y] and (p.dies_in is None or p.dies_in >= y):
                    dues[y].append((p, (end - p.paid_through).days * fund.daily_rate))
                    p.paid_through = end
        contributions = sum((a for year in dues.values() for _, a in year), Decimal(0))
        grants = plan.matching_money + plan.local_grant
        opening = plan.fund_money - contributions - grants + sum(plan.payouts.values())
        if opening < 0:
            raise SynthError("fund_money", "เงินกองทุนเป้าหมายน้อยกว่าเงินสมทบและเงินอุดหนุนที่บันทึก",
                             f"fund money target below what the recorded years bring in ({fund.code}: {opening})")
        if opening:
            shares = self.cal.shape.get("opening_shares", {"members": 1})
            parts = split(int(opening), [float(shares[s]) for s in shares])
            lines = [ledger.LineSpec("1102", debit=opening)]
            lines += [ledger.LineSpec(OPENING_ACCOUNTS[s], credit=Decimal(a)) for s, a in zip(shares, parts,
                                                                                            strict=True) if a]
            ledger.entry_post(actor=recorder, book=book, date=first.start - datetime.timedelta(days=1),
                              memo="ยอดยกมาก่อนใช้ระบบ (opening balance)", lines=lines,
                              idempotency_key="synth-opening")
        claims = 0
        for y in self.years:
            by_village: dict[int, list] = {}
            for p, amount in dues[y]:
                by_village.setdefault(p.membership.village_number or 0, []).append(
                    welfare.SheetPayment(p.membership, amount))
            for village, payments in sorted(by_village.items()):
                welfare.collection_sheet_post(actor=recorder, fund=fund, date=collections[y], payments=payments,
                                              village_number=village or None, idempotency_key=f"synth-{y}-{village}")
            fy = FiscalYear(y)
            if plan.local_grant and y == self.years[0]:
                welfare.grant_receive(actor=recorder, fund=fund, source="local", amount=plan.local_grant,
                                      date=fy.start + datetime.timedelta(days=60), idempotency_key=f"synth-local-{y}",
                                      reference="อปท.")
            if plan.matching_money and y == self.cal.fiscal_year:
                welfare.grant_receive(actor=recorder, fund=fund, source="government", amount=plan.matching_money,
                                      date=fy.start + datetime.timedelta(days=120),
                                      members_covered=plan.matched_members,
                                      idempotency_key=f"synth-gov-{y}", reference=f"CODI-{y}")
            claims += self._claims(fund, rules, people, y, plan, recorder, reviewer)
        return {"funds": 1, "people": len(people), "claims": claims,
                "contributions": sum(len(v) for v in dues.values())}

    def _claims(self, fund, rules, people, y, plan, recorder, reviewer) -> int:
        n, budget = plan.recipients[y], plan.payouts[y]
        if not n:
            return 0
        rng, fy = self.rng, FiscalYear(y)
        collection = datetime.date(fy.start.year, 10, 15)
        dying = [p for p in people if p.dies_in == y]
        eligible = [p for p in people if p.joined_on < fy.start - datetime.timedelta(days=400)
                    and (p.dies_in is None or p.dies_in > y)]
        chosen = dying + rng.sample(eligible, n - len(dying))
        # Judged in memory by the fund's own rule engine (welfare.ClaimAssessor), then submitted, approved by
        # another committee member and paid as three batches through the welfare services, as a fund's
        # committee meeting would: each claim keeps its explanation, voucher number and entry.
        fresh = Membership.objects.select_related("person").in_bulk([p.membership.pk for p in chosen])
        assessor = welfare.ClaimAssessor(fund, fresh, self.kinds.values())
        spent = Decimal(0)
        requests, amounts, paid_on = [], [], []
        for j, p in enumerate(chosen):
            left = n - j - 1  # benefits still to pay this year after this one, at least 1 baht each
            event = collection + datetime.timedelta(days=rng.randrange(5, 330))
            years = (event - p.joined_on).days // 365
            if p.dies_in == y:
                code, units = "funeral", 1
            elif left == 0:
                code, units = "other", int(budget - spent)
            else:
                # Age on the day of the event, as the rules count it (not the age at the calibration's year end).
                age_then = event.year - p.birth.year - ((event.month, event.day) < (p.birth.month, p.birth.day))
                code = rng.choice(OLD_KINDS if age_then >= 60 else YOUNG_KINDS)
                units = rng.randint(1, 3) if rules[code].get("amount_type") == "per_unit" else 1
                if code == "elderly_pension" and years < 3:
                    code = "hospital"
                    units = rng.randint(1, 3)
            if left and spent + _most(rules[code], units, years) > budget - left:
                code, units = "other", 1
            kind, member = self.kinds[code], fresh[p.membership.pk]
            _, decision = assessor.assess(member, kind, member.person, event, units)
            if not decision.eligible:
                raise SynthError("claim", f"คำขอ {code} ไม่เข้าเกณฑ์", f"generated {code} claim not eligible: "
                                 f"{decision.text_en}")
            assessor.count(Claim(membership=member, kind=kind, beneficiary=member.person, event_date=event,
                                 amount=decision.amount))
            spent += decision.amount
            amounts.append(decision.amount)
            paid_on.append(event + datetime.timedelta(days=3))
            requests.append(welfare.ClaimRequest(member, kind, event, f"synth-{y}-{j}", units=units,
                                                 consent=kind.health_data))
        claims = welfare.claims_submit_many(actor=recorder, fund=fund, requests=requests)
        if [c.amount for c in claims] != amounts or not all(c.eligible for c in claims):
            raise SynthError("claim", "ผลการพิจารณาคำขอไม่ตรงกับที่คำนวณไว้", "the submitted claims were judged "
                             "differently from the generator's own reading of the rules")
        claims = welfare.claims_decide_many(actor=reviewer, claims=claims, approve=True)
        cash = Account.objects.get(book__organisation_id=fund.pk, code="1101").balance
        payments = []
        for claim, day in zip(claims, paid_on, strict=True):
            from_cash = cash >= claim.amount
            cash -= claim.amount if from_cash else 0
            payments.append(welfare.ClaimPayment(claim, day, "1101" if from_cash else "1102"))
        welfare.claims_pay_many(actor=recorder, payments=payments)
        if spent != budget:
            raise SynthError("payouts", "ยอดจ่ายสวัสดิการไม่ตรงเป้า", f"{fund.code} {y}: paid {spent}, target {budget}")
        return n


def _split_capped(total: int, caps: list[int]) -> list[int]:
    """``total`` split in proportion to ``caps`` without any part above its cap."""
    parts = split(total, [float(c) for c in caps])
    over = sum(max(0, p - c) for p, c in zip(parts, caps, strict=True))
    parts = [min(p, c) for p, c in zip(parts, caps, strict=True)]
    i = 0
    while over:
        if parts[i] < caps[i]:
            parts[i] += 1
            over -= 1
        i = (i + 1) % len(parts)
    return parts
