"""The synthetic country's councils (``[councils]`` of a calibration file): local administrations, community
organisation councils with their members and officers, registered community organisations, and the year's council
quality assessments by grade — written through ``geo``, ``councils`` and ``assessments`` services, so every rule of
those modules holds.

How each target is met (``round(target × scale)`` half up, like the welfare targets):

- *local_administrations*: one per subdistrict in turn — the funds' subdistricts first, then others at random — an
  SAO (อบต.) the first time a subdistrict is dealt, a municipality the next (the country has more local
  administrations than subdistricts);
- *councils*: one for each of the first local administrations (a council serves one local administration's area),
  founded between 2009 and the year before the fiscal year;
- *members*: split over councils (at least the four officers each), all serving on 30 September;
- *organisations*: split over councils, each registered with its council (a live registration on 30 September);
- *grades*: that many councils assessed on the council-quality instrument in the fiscal year at each grade (the
  answers are drawn until the instrument's own scoring gives the grade); *assessed* is their sum.

Counts hold in a database ``synth`` built from empty (the local administrations figure counts every local
administration in the area).
"""

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from chumchon.assessments import engine
from chumchon.assessments.services import AnswerInput, assessment_answer, assessment_start, instrument_in_force
from chumchon.core.thai.errors import ThaiInputError
from chumchon.core.thai.fiscal import FiscalYear
from chumchon.councils import services as council_services
from chumchon.councils.models import CommunityOrganization, Council, CouncilMember
from chumchon.demo import names
from chumchon.geo import services as geo_services
from chumchon.geo.models import LocalAdministration, Subdistrict

COUNTS = ("local_administrations", "councils", "members", "organisations")
INSTRUMENT = "council-quality"
OFFICERS = [CouncilMember.Position.CHAIR, CouncilMember.Position.VICE_CHAIR, CouncilMember.Position.SECRETARY,
            CouncilMember.Position.TREASURER]
# How good a council's answers are, by grade: the share of each item's points, drawn around this.
QUALITY = {"A": 0.93, "B": 0.76, "C": 0.66, "D": 0.35}
ORGANISATION_NAMES = {
    "savings": "กลุ่มออมทรัพย์เพื่อการผลิต", "occupation": "กลุ่มอาชีพ", "elderly": "ชมรมผู้สูงอายุ",
    "women": "กลุ่มสตรี", "youth": "กลุ่มเยาวชน", "cooperative": "สหกรณ์", "housing": "ชุมชนบ้านมั่นคง",
    "network": "เครือข่าย", "welfare": "กลุ่มสวัสดิการ", "environment": "กลุ่มอนุรักษ์ทรัพยากรธรรมชาติ",
    "culture": "กลุ่มอนุรักษ์วัฒนธรรมประเพณี", "other": "กลุ่มพัฒนา",
}


class CouncilTargetError(ThaiInputError):
    """Council targets that cannot be built."""


@dataclass(frozen=True)
class CouncilTargets:
    local_administrations: int
    councils: int
    members: int
    organisations: int
    grades: dict[str, int]

    @property
    def assessed(self) -> int:
        return sum(self.grades.values())

    @classmethod
    def from_config(cls, section: dict | None, scale) -> "CouncilTargets | None":
        """The ``[councils]`` section scaled (each count rounded half up; the grades each too, and *assessed* is
        their sum), or None when the calibration has no councils."""
        if not section:
            return None
        s = Decimal(str(scale))

        def scaled(value) -> int:
            try:
                number = Decimal(str(value))
            except ArithmeticError:
                raise CouncilTargetError("councils", f"ค่าเป้าหมายสภาไม่ใช่ตัวเลข: {value}",
                                         f"a council target is not a number: {value}") from None
            return int((number * s).quantize(Decimal(1), ROUND_HALF_UP))

        missing = [c for c in COUNTS if c not in section]
        if missing:
            raise CouncilTargetError("councils", f"ส่วน [councils] ไม่มีเป้าหมาย: {', '.join(missing)}",
                                     f"[councils] lacks targets: {', '.join(missing)}")
        grades = {str(code): scaled(n) for code, n in (section.get("grades") or {}).items()}
        made = cls(**{c: scaled(section[c]) for c in COUNTS}, grades=grades)
        if "assessed" in section and s == 1 and made.assessed != int(section["assessed"]):
            raise CouncilTargetError("assessed", f"จำนวนสภาที่ประเมิน ({section['assessed']}) ไม่เท่ากับผลรวมตามระดับ "
                                     f"({made.assessed})", f"assessed ({section['assessed']}) is not the sum of the "
                                     f"grades ({made.assessed})")
        problems = [
            (made.councils > made.local_administrations, "councils", "สภามากกว่า อปท.",
             "more councils than local administrations (one council per local administration)"),
            (made.members < made.councils * len(OFFICERS), "members", "สมาชิกสภาน้อยกว่า 4 คนต่อสภา",
             "fewer than the four officers a council"),
            (made.assessed > made.councils, "grades", "สภาที่ประเมินมากกว่าจำนวนสภา",
             "more councils assessed than councils"),
        ]
        for bad, name, th, en in problems:
            if bad:
                raise CouncilTargetError(name, f"เป้าหมาย {name}: {th}", f"target {name}: {en}")
        return made


def _name(rng: random.Random) -> str:
    female = rng.random() < 0.5
    first = rng.choice(names.FEMALE if female else names.MALE)
    title = ("นาง" if rng.random() < 0.7 else "นางสาว") if female else "นาย"
    return f"{title}{first} {rng.choice(names.SURNAMES)}"


class CouncilBuilder:
    def __init__(self, targets: CouncilTargets, fiscal_year: int, rng: random.Random, actor, out=None,
                 seed: int | str = 0):
        self.t, self.fiscal_year, self.rng, self.actor, self.seed = targets, fiscal_year, rng, actor, seed
        self.out = out or (lambda text: None)
        self.fy = FiscalYear(fiscal_year)

    def _subdistricts(self, first: list[str]) -> list[Subdistrict]:
        """Subdistricts in the order local administrations are dealt: the given codes (the funds') first."""
        rest = list(Subdistrict.objects.exclude(code__in=first).order_by("code").values_list("code", flat=True))
        self.rng.shuffle(rest)
        order = first + rest
        by_code = Subdistrict.objects.in_bulk(order[: self.t.local_administrations])
        return [by_code[c] for c in order[: self.t.local_administrations] if c in by_code]

    def local_administrations(self, first: list[str]) -> list[LocalAdministration]:
        subs = self._subdistricts(first)
        if not subs:
            raise CouncilTargetError("local_administrations", "ไม่มีตำบลในฐานข้อมูล", "no subdistricts loaded")
        made = []
        for i in range(self.t.local_administrations):
            sub = subs[i % len(subs)]
            if i < len(subs):
                kind, name = LocalAdministration.Kind.SAO, f"องค์การบริหารส่วนตำบล{sub.name_th}"
            else:
                kind, name = LocalAdministration.Kind.SUBDISTRICT_MUNICIPALITY, f"เทศบาลตำบล{sub.name_th}"
            made.append(geo_services.local_administration_create(actor=self.actor, name_th=name, kind=kind,
                                                                 subdistrict=sub))
        return made

    def run(self, first_subdistricts: list[str], workers: int = 1) -> dict:
        """The local administrations first (one transaction), then each council with its organisations, members
        and — for the councils drawn for a grade — its assessment, one transaction a council. Each council draws
        from its own random generator, so ``workers`` processes (PostgreSQL) build the same councils as one."""
        from chumchon.insights.synth import split
        from chumchon.insights.workers import check_can_fork, run_forked

        t, rng = self.t, self.rng
        if t.grades and instrument_in_force(INSTRUMENT, self.fiscal_year) is None:
            raise CouncilTargetError("grades", f"ไม่มีแบบประเมินคุณภาพสภาสำหรับปีงบประมาณ {self.fiscal_year}",
                                     f"no council-quality instrument in force for FY {self.fiscal_year}")
        if workers > 1:
            check_can_fork()
        with transaction.atomic():
            las = self.local_administrations(first_subdistricts)
        weights = [rng.uniform(0.5, 1.5) for _ in range(t.councils)]
        seats = [len(OFFICERS) + n for n in split(t.members - len(OFFICERS) * t.councils, weights)]
        organisations = split(t.organisations, weights)
        grades = [code for code, count in sorted(t.grades.items()) for _ in range(count)]
        grade_of = dict(zip(rng.sample(range(t.councils), len(grades)), grades, strict=True))
        work = [(n, la, members, orgs, grade_of.get(n - 1))
                for n, (la, members, orgs) in enumerate(zip(las[: t.councils], seats, organisations, strict=True), 1)]
        if workers > 1:
            run_forked([lambda k=k: self._councils(work[k::workers], f"[{k + 1}/{workers}] ")
                        for k in range(workers)])
        else:
            self._councils(work)
        return {"local_administrations": len(las), "councils": len(work), "council_members": sum(seats),
                "organisations": sum(organisations), "assessed": len(grades)}

    def _councils(self, work: list[tuple], label: str = "") -> dict:
        main = self.rng
        try:
            for done, (n, la, members, orgs, grade) in enumerate(work, 1):
                self.rng = random.Random(f"{self.seed}:council:{la.subdistrict_id}:{n}")  # noqa: S311
                with transaction.atomic():
                    council = self._council(n, la, members, orgs)
                    if grade is not None:
                        self._assess(council, grade)
                if done % max(1, len(work) // 5) == 0 or done == len(work):
                    self.out(f"  {label}{done}/{len(work)} councils")
        finally:
            self.rng = main
        return {"councils": len(work)}

    def _council(self, n: int, la: LocalAdministration, members: int, orgs: int) -> Council:
        rng, sub = self.rng, la.subdistrict
        latest = self.fy.start - datetime.timedelta(days=365)
        founded = datetime.date(2009, 1, 1) + datetime.timedelta(days=rng.randrange(
            max(1, (latest - datetime.date(2009, 1, 1)).days)))
        city = la.kind != LocalAdministration.Kind.SAO
        council = council_services.council_create(
            actor=self.actor, code=f"SC-{sub.code}-{n}", subdistrict=sub, founded_on=founded, local_administration=la,
            name_th=f"สภาองค์กรชุมชน{'เทศบาลตำบล' if city else 'ตำบล'}{sub.name_th}",
            kind=Council.Kind.CITY if city else Council.Kind.TAMBON,
            registration_number=f"{sub.code}/{founded.year + 543}", registered_on=founded)
        span = max(1, (self.fy.end - founded).days)
        registered = []
        kinds = list(CommunityOrganization.Kind.values)
        for i in range(1, orgs + 1):
            kind = rng.choice(kinds)
            on = founded + datetime.timedelta(days=rng.randrange(span))
            registered.append(council_services.organisation_register(
                actor=self.actor, council=council, name_th=f"{ORGANISATION_NAMES[kind]} หมู่ {rng.randint(1, 15)} ({i})",
                kind=kind, number=f"{i:04d}", registered_on=on, village_number=rng.randint(1, 15),
                founded_on=on - datetime.timedelta(days=rng.randrange(30, 3650)), members_count=rng.randint(7, 120)))
        # The council's current term: started within the four years before the fiscal year's end.
        term_start = max(founded, self.fy.end - datetime.timedelta(days=rng.randrange(30, 4 * 365)))
        for i in range(members):
            position = OFFICERS[i] if i < len(OFFICERS) else CouncilMember.Position.MEMBER
            expert = i >= len(OFFICERS) and rng.random() < 0.2
            represents = None
            if not expert and registered and rng.random() < 0.8:
                represents = registered[i % len(registered)].organization
            council_services.member_seat(
                actor=self.actor, council=council, name=_name(rng), term_start=term_start, position=position,
                kind=CouncilMember.Kind.EXPERT if expert else CouncilMember.Kind.REPRESENTATIVE,
                represents=represents)
        return council

    def _answers(self, items, bands, pass_percent, grade: str) -> dict[str, AnswerInput]:
        """Answers drawn around the grade's quality until the instrument's scoring gives that grade."""
        rng = self.rng
        for _ in range(1000):
            q = min(1.0, max(0.0, rng.gauss(QUALITY.get(grade, 0.5), 0.08)))
            values = {}
            for item in items:
                if item.answer_type == "yes_no":
                    values[item.code] = Decimal(1 if rng.random() < q else 0)
                elif item.answer_type == "scale":
                    values[item.code] = Decimal(min(item.scale_max, max(0, round(rng.gauss(q, 0.1) * item.scale_max))))
                else:
                    top = item.number_max if item.number_max is not None else item.number_target * 2
                    values[item.code] = min(Decimal(top), Decimal(max(0, round(rng.gauss(q, 0.1)
                                                                                * float(item.number_target)))))
            points = {item.pk: engine.item_points(item, values[item.code]) for item in items}
            band = engine.score(items, points, bands, pass_percent).band
            if band is not None and band.code == grade:
                return {code: AnswerInput(value=value, evidence="บันทึกการประชุมและเอกสารประกอบ (synth)")
                        for code, value in values.items()}
        raise CouncilTargetError("grades", f"สุ่มคำตอบให้ได้ระดับ {grade} ไม่ได้", f"cannot draw answers for grade {grade}")

    def _assess(self, council: Council, grade: str) -> None:
        instrument = instrument_in_force(INSTRUMENT, self.fiscal_year)
        items = list(instrument.items.select_related("dimension"))
        bands = list(instrument.bands.all())
        if grade not in {b.code for b in bands}:
            raise CouncilTargetError("grades", f"แบบประเมินไม่มีระดับ {grade}", f"the instrument has no grade {grade}")
        on = self.fy.start + datetime.timedelta(days=self.rng.randrange(90, 330))
        assessment = assessment_start(actor=self.actor, instrument_code=INSTRUMENT, fiscal_year=self.fiscal_year,
                                      organisation=council.organisation, assessors="คณะทำงานประเมินตนเอง (synth)",
                                      assessed_on=on)
        assessment_answer(actor=self.actor, assessment=assessment, submit=True,
                          answers=self._answers(items, bands, instrument.pass_percent, grade))
