"""The demo's councils, community organisations, development plans and two fiscal years of assessments, built
through the councils and assessments services.

Idempotent like the rest of the demo: a council found by its code is left as it is (everything of a council is
made in the run that makes the council), and the random choices come from seeds named after the subdistrict.
The subdistrict of the demo ``council`` login (the first fund's) gets last year's strong-community assessment and
plan only: entering this year's is the council officer's job (and the browser journey's).
"""

import datetime
import random
from decimal import Decimal

from chumchon.assessments import services as assessment_services
from chumchon.assessments.models import Assessment, Instrument
from chumchon.core.thai.fiscal import FiscalYear, fiscal_year_of
from chumchon.councils import services
from chumchon.councils.models import CommunityOrganization, Council, CouncilMember, PlanItem, PlanItemLink
from chumchon.demo import names
from chumchon.geo import services as geo_services
from chumchon.geo.models import LocalAdministration

ORGANISATION_NAMES = [
    ("savings", "กลุ่มออมทรัพย์เพื่อการผลิตบ้าน"), ("occupation", "กลุ่มทอผ้าบ้าน"), ("elderly", "ชมรมผู้สูงอายุบ้าน"),
    ("women", "กลุ่มแม่บ้านบ้าน"), ("youth", "กลุ่มเยาวชนบ้าน"), ("cooperative", "สหกรณ์เครดิตยูเนี่ยนบ้าน"),
    ("housing", "ชุมชนบ้านมั่นคงบ้าน"), ("network", "เครือข่ายป่าชุมชนบ้าน"), ("welfare", "กลุ่มสัจจะวันละบาทบ้าน"),
    ("environment", "กลุ่มอนุรักษ์ลำน้ำบ้าน"), ("culture", "กลุ่มฟ้อนเล็บบ้าน"), ("occupation", "กลุ่มเกษตรอินทรีย์บ้าน"),
]
PLAN_ITEMS = [
    ("น้ำเพื่อการเกษตรไม่พอ", "ขุดลอกลำเหมืองสาธารณะ", 180000), ("หนี้สินครัวเรือน", "อบรมบัญชีครัวเรือนและแก้หนี้", 35000),
    ("ผู้สูงอายุอยู่ลำพัง", "อาสาสมัครเยี่ยมบ้านผู้สูงอายุ", 40000), ("ขยะในชุมชน", "ธนาคารขยะและคัดแยกขยะ", 25000),
    ("รายได้ไม่พอ", "ส่งเสริมตลาดสินค้าชุมชน", 60000), ("ถนนเข้าพื้นที่เกษตรชำรุด", "ซ่อมถนนดินลูกรัง", 250000),
    ("เยาวชนว่างงาน", "ฝึกอาชีพเยาวชน", 30000), ("ที่อยู่อาศัยทรุดโทรม", "ซ่อมบ้านผู้ยากไร้", 120000),
]
AGENCIES = ["สำนักงานเกษตรอำเภอ", "สำนักงานพัฒนาชุมชนอำเภอ", "โรงพยาบาลส่งเสริมสุขภาพตำบล", "สถาบันพัฒนาองค์กรชุมชน"]


def _local_administration(actor, subdistrict) -> LocalAdministration:
    name = f"องค์การบริหารส่วนตำบล{subdistrict.name_th}"
    found = LocalAdministration.objects.filter(subdistrict=subdistrict, name_th=name).first()
    return found or geo_services.local_administration_create(actor=actor, subdistrict=subdistrict, name_th=name,
                                                             kind=LocalAdministration.Kind.SAO,
                                                             covers=[subdistrict])


def _person_name(rng: random.Random) -> str:
    first = rng.choice(names.FEMALE if rng.random() < 0.5 else names.MALE)
    return f"{first} {rng.choice(names.SURNAMES)}"


def _dates_in(fy: FiscalYear, today: datetime.date, rng: random.Random) -> list[datetime.date]:
    """A meeting in each quarter of the fiscal year that has started by ``today``."""
    out = []
    for start, _end in fy.quarters():
        day = start + datetime.timedelta(days=rng.randint(5, 40))
        if day <= today:
            out.append(day)
    return out


def _answers(instrument: Instrument, rng: random.Random, strength: float) -> dict:
    """Answers around a community's ``strength`` (0–1), evidence given wherever an answer earns points."""
    answers = {}
    for item in instrument.items.all():
        good = rng.random() < strength
        if item.answer_type == "yes_no":
            value = 1 if good else 0
        elif item.answer_type == "scale":
            value = item.scale_max if good else rng.randint(0, item.scale_max - 1 if item.scale_max > 1 else 0)
        else:
            target = item.number_target
            value = target if good else (target * Decimal(rng.randint(2, 9)) / 10).quantize(Decimal("0.01"))
            if item.number_max is not None:
                value = min(value, item.number_max)
        answers[item.code] = assessment_services.AnswerInput(value=value, evidence="ภาพถ่ายและรายงานการประชุม")
    return answers


def _assess(actor, code: str, fiscal_year: int, rng: random.Random, strength: float, *, subdistrict=None,
            organisation=None, mode: str = "self", assessors: str = "") -> Assessment:
    assessment = assessment_services.assessment_start(
        actor=actor, instrument_code=code, fiscal_year=fiscal_year, subdistrict=subdistrict,
        organisation=organisation, mode=mode, assessors=assessors,
        assessed_on=FiscalYear(fiscal_year).start + datetime.timedelta(days=rng.randint(30, 50)))
    return assessment_services.assessment_answer(
        actor=actor, assessment=assessment, answers=_answers(assessment.instrument, rng, strength), submit=True)


def build_councils(*, actor, funds, today: datetime.date, skip_current_for=None) -> int:
    """One council per demo fund's subdistrict, with members, organisations, meetings, proposals, plans and
    assessments of the previous and the current fiscal year. Returns how many councils were made."""
    this_year = fiscal_year_of(today)
    last_year = FiscalYear(this_year.be_year - 1)
    made = 0
    for fund in funds:
        subdistrict = fund.organisation.subdistrict
        code = f"CC-{subdistrict.code}"
        if Council.objects.filter(organisation__code=code).exists():
            continue
        rng = random.Random(f"council-{subdistrict.code}")
        local = _local_administration(actor, subdistrict)
        council = services.council_create(
            actor=actor, code=code, name_th=f"สภาองค์กรชุมชนตำบล{subdistrict.name_th}", subdistrict=subdistrict,
            name_en=f"{subdistrict.name_en} Community Organisation Council", local_administration=local,
            founded_on=datetime.date(rng.randint(2009, 2014), rng.randint(1, 12), 1),
            registration_number=f"{subdistrict.code}-{rng.randint(1, 99):02d}")
        registrations = []
        for n, (kind, stem) in enumerate(rng.sample(ORGANISATION_NAMES, rng.randint(7, 11)), start=1):
            village = rng.randint(1, 12)
            registered = council.founded_on + datetime.timedelta(days=rng.randint(30, 4000))
            registrations.append(services.organisation_register(
                actor=actor, council=council, name_th=f"{stem}หมู่ {village}", kind=kind, village_number=village,
                number=f"{n:03d}", registered_on=min(registered, last_year.start),
                founded_on=min(registered, last_year.start) - datetime.timedelta(days=rng.randint(100, 3000)),
                members_count=rng.randint(12, 180), leaders=_person_name(rng),
                contact=f"08{rng.randint(10000000, 99999999)}",
                documents="แบบจดแจ้ง, รายชื่อสมาชิก, ระเบียบกลุ่ม"))
        term_start = datetime.date(this_year.start.year - 2, 4, 1)
        term_end = datetime.date(this_year.start.year + 2, 3, 31)
        positions = [CouncilMember.Position.CHAIR, CouncilMember.Position.VICE_CHAIR,
                     CouncilMember.Position.SECRETARY, CouncilMember.Position.TREASURER]
        for i, registration in enumerate(registrations):
            services.member_seat(actor=actor, council=council, name=_person_name(rng), term_start=term_start,
                                 term_end=term_end, represents=registration.organization,
                                 position=positions[i] if i < len(positions) else CouncilMember.Position.MEMBER)
        for _ in range(rng.randint(2, 4)):
            services.member_seat(actor=actor, council=council, name=_person_name(rng), term_start=term_start,
                                 term_end=term_end, kind=CouncilMember.Kind.EXPERT)
        serving = council.members.count()
        for fy in (last_year, this_year):
            for day in _dates_in(fy, today, rng):
                meeting = services.meeting_record(
                    actor=actor, council=council, date=day, attendees=rng.randint(serving // 2 + 1, serving),
                    agenda="1. เรื่องแจ้งเพื่อทราบ\n2. รับรองรายงานการประชุม\n3. ติดตามแผนพัฒนาชุมชน\n4. เรื่องอื่น ๆ",
                    resolutions="ที่ประชุมรับทราบและเห็นชอบ")
        proposal = services.proposal_send(actor=actor, council=council, meeting=meeting, agency=local.name_th,
                                          title="ขอให้บรรจุโครงการตามแผนพัฒนาชุมชนในแผนพัฒนาท้องถิ่น", sent_on=meeting.date)
        services.proposal_follow_up(actor=actor, proposal=proposal, date=meeting.date, status="acknowledged",
                                    note="อบต. รับเรื่องไว้พิจารณา")
        skip_current = skip_current_for is not None and subdistrict.pk == skip_current_for.pk
        strength = rng.uniform(0.55, 0.95)
        for fy in (last_year,) if skip_current else (last_year, this_year):
            plan = services.plan_create(actor=actor, subdistrict=subdistrict, fiscal_year=fy.be_year, council=council,
                                        title=f"แผนพัฒนาชุมชนตำบล{subdistrict.name_th} ปี {fy.be_year}",
                                        approved_on=fy.start - datetime.timedelta(days=rng.randint(20, 60)))
            for issue, activity, budget in rng.sample(PLAN_ITEMS, rng.randint(4, 6)):
                item = services.plan_item_add(actor=actor, plan=plan, issue=issue, activity=activity,
                                              budget_needed=Decimal(budget),
                                              done_by=rng.choice(PlanItem.DoneBy.values))
                if rng.random() < 0.45:
                    services.plan_item_link(actor=actor, item=item, agency_kind=PlanItemLink.AgencyKind.LOCAL,
                                            local_administration=local, fiscal_year=fy.be_year,
                                            amount=(Decimal(budget) * Decimal(rng.choice([50, 80, 100])) / 100))
                elif rng.random() < 0.4:
                    services.plan_item_link(actor=actor, item=item, agency_kind=PlanItemLink.AgencyKind.AGENCY,
                                            agency_name=rng.choice(AGENCIES), fiscal_year=fy.be_year,
                                            amount=Decimal(rng.choice([0, 10000, 20000])))
            _assess(actor, "strong-community", fy.be_year, rng, strength, subdistrict=subdistrict,
                    assessors="คณะทำงานสภาองค์กรชุมชน")
            strength = max(0.3, min(0.98, strength + rng.uniform(-0.12, 0.12)))
        _assess(actor, "council-quality", last_year.be_year, rng, rng.uniform(0.4, 0.95),
                organisation=council.organisation, mode="review", assessors="กองเลขาจังหวัด")
        _assess(actor, "welfare-fund-quality", last_year.be_year, rng, rng.uniform(0.5, 1.0),
                organisation=fund.organisation, assessors="คณะกรรมการกองทุน")
        cooperative = next((r.organization for r in registrations
                            if r.organization.kind == CommunityOrganization.Kind.COOPERATIVE), None)
        if cooperative is not None:
            _assess(actor, "borrower-grade", last_year.be_year, rng, rng.uniform(0.5, 1.0),
                    organisation=cooperative.organisation, mode="review", assessors="สถาบันพัฒนาองค์กรชุมชน")
        made += 1
    return made
