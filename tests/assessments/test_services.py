"""Assessments through the services: self-assessment of a tambon with the shipped strong-community instrument,
bad answers refused whole, level edges, versioning, and an instrument edit that applies to new assessments only."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chumchon.access.roles import Role, ScopeKind
from chumchon.assessments import selectors, services
from chumchon.assessments.models import Answer, Assessment, Dimension, Instrument, Item, LevelBand
from chumchon.assessments.services import AnswerInput

pytestmark = pytest.mark.django_db


def full_answers(instrument, *, evidence="ภาพถ่ายกิจกรรม", override=None):
    answers = {}
    for item in instrument.items.all():
        value = {"yes_no": 1, "scale": item.scale_max, "number": item.number_target}[item.answer_type]
        answers[item.code] = AnswerInput(value=value, evidence=evidence)
    answers.update(override or {})
    return answers


def start(world, fy=2569, **kw):
    return services.assessment_start(actor=world["users"]["council_a"], instrument_code="strong-community",
                                     fiscal_year=fy, subdistrict=world["sub_a"], **kw)


def test_shipped_instruments(db):
    strong = Instrument.objects.get(code="strong-community")
    assert strong.dimensions.count() == 4 and strong.items.count() == 28 and strong.max_score == 100
    assert all(i.text_th.startswith("[ร่าง]") and i.text_en.startswith("DRAFT") for i in strong.items.all())
    assert strong.pass_percent == 80 and strong.draft_wording
    assert list(strong.bands.values_list("min_percent", flat=True)) == [90, 80, 70]
    for code in ("council-quality", "welfare-fund-quality", "borrower-grade"):
        assert Instrument.objects.get(code=code).max_score == 100
    assert set(Instrument.objects.get(code="council-quality").bands.values_list("code", flat=True)) == set("ABCD")


def test_self_assessment_scores_and_levels(world):
    a = start(world)
    instrument = a.instrument
    services.assessment_answer(actor=world["users"]["council_a"], assessment=a, answers=full_answers(instrument),
                               submit=True, assessors="คณะทำงานสภา")
    a.refresh_from_db()
    assert (a.status, a.score, a.max_score, a.percent) == ("submitted", 100, 100, 100)
    assert (a.level_code, a.level_label_th, a.passed) == ("excellent", "ดีเยี่ยม", True)
    assert [d["percent"] for d in a.dimension_scores] == ["100.00"] * 4


def test_answer_outside_the_item_range_saves_nothing(world):
    a = start(world)
    answers = full_answers(a.instrument, override={"1.1": AnswerInput(value=7), "2.2": AnswerInput(value=3)})
    with pytest.raises(ValidationError) as exc:
        services.assessment_answer(actor=world["users"]["council_a"], assessment=a, answers=answers)
    errors = exc.value.message_dict
    assert "from 0 to 4" in errors["answer_1.1"][0] and "ข้อ 1.1" in errors["answer_1.1"][0]
    assert "yes (1) or no (0)" in errors["answer_2.2"][0]
    assert not Answer.objects.exists()


def test_missing_required_evidence_saves_nothing(world):
    a = start(world)
    answers = full_answers(a.instrument, override={"1.3": AnswerInput(value=1, evidence="")})
    with pytest.raises(ValidationError) as exc:
        services.assessment_answer(actor=world["users"]["council_a"], assessment=a, answers=answers, submit=True)
    assert "requires evidence" in exc.value.message_dict["evidence_1.3"][0]
    assert "ต้องแนบหลักฐาน" in exc.value.message_dict["evidence_1.3"][0]
    a.refresh_from_db()
    assert a.status == "draft" and not a.answers.exists()
    # A "no" earns nothing, so it needs no evidence.
    answers["1.3"] = AnswerInput(value=0)
    services.assessment_answer(actor=world["users"]["council_a"], assessment=a, answers=answers, submit=True)
    a.refresh_from_db()
    assert a.score == 96 and a.level_code == "excellent"


def test_draft_can_be_saved_half_answered_then_submitted(world):
    a = start(world)
    everything = full_answers(a.instrument)
    first = dict(list(everything.items())[:10])
    services.assessment_answer(actor=world["users"]["council_a"], assessment=a, answers=first)
    with pytest.raises(ValidationError, match="is not answered"):
        services.assessment_answer(actor=world["users"]["council_a"], assessment=a, answers={}, submit=True)
    rest = dict(list(everything.items())[10:])
    services.assessment_answer(actor=world["users"]["council_a"], assessment=a, answers=rest, submit=True)
    a.refresh_from_db()
    assert a.score == 100
    with pytest.raises(ValidationError, match="submitted already"):
        services.assessment_answer(actor=world["users"]["council_a"], assessment=a, answers=rest)


@pytest.fixture
def one_item_instrument(db):
    """A 100-point instrument with one number item (target 10,000), so 7,999 earns exactly 79.99 points."""
    inst = Instrument.objects.create(code="edge", fiscal_year=2565, name_th="ขอบ", subject_kind="subdistrict",
                                     pass_percent=80)
    dim = Dimension.objects.create(instrument=inst, number=1, name_th="มิติ")
    Item.objects.create(instrument=inst, dimension=dim, code="1", text_th="จำนวน", answer_type="number",
                        points=100, number_target=10_000)
    for code, th, minimum in [("excellent", "ดีเยี่ยม", 90), ("very_good", "ดีมาก", 80), ("good", "ดี", 70)]:
        LevelBand.objects.create(instrument=inst, code=code, label_th=th, min_percent=minimum)
    return inst


@pytest.mark.parametrize(("answer", "percent", "level", "passed"), [
    (7999, "79.99", "good", False), (8000, "80.00", "very_good", True), (8999, "89.99", "very_good", True),
    (9000, "90.00", "excellent", True), (6999, "69.99", "", False),
])
def test_level_bands_at_their_edges_through_an_assessment(world, one_item_instrument, answer, percent, level, passed):
    a = services.assessment_start(actor=world["users"]["council_a"], instrument_code="edge", fiscal_year=2569,
                                  subdistrict=world["sub_a"])
    services.assessment_answer(actor=world["users"]["council_a"], assessment=a,
                               answers={"1": AnswerInput(value=answer)}, submit=True)
    a.refresh_from_db()
    assert (a.percent, a.level_code, a.passed) == (Decimal(percent), level, passed)


def test_instrument_in_force_by_fiscal_year(world, system_user):
    strong = Instrument.objects.get(code="strong-community")
    new = services.instrument_new_year(actor=system_user, instrument=strong, fiscal_year=2570)
    assert services.instrument_in_force("strong-community", 2569) == strong
    assert services.instrument_in_force("strong-community", 2570) == new
    assert services.instrument_in_force("strong-community", 2571) == new
    assert services.instrument_in_force("strong-community", 2564) is None
    with pytest.raises(ValidationError, match="no instrument strong-community in force for FY 2564"):
        start(world, fy=2564)


def test_instrument_edit_applies_only_to_new_assessments(world, make_user):
    national = make_user("nat", Role.NATIONAL_STAFF, ScopeKind.NATIONAL)
    officer = world["users"]["council_a"]
    old = start(world, fy=2568)
    rev1 = old.instrument
    answers = full_answers(rev1, override={"1.1": AnswerInput(value=2)})  # 2 of 4 on the scale: 2 of 4 points
    services.assessment_answer(actor=officer, assessment=old, answers=answers, submit=True)
    old.refresh_from_db()
    assert old.score == 98

    item = rev1.items.get(code="1.1")
    edited = services.instrument_item_update(actor=national, item=item, points=Decimal(8), text_th="[ร่าง] ใหม่")
    rev2 = edited.instrument
    assert (rev2.code, rev2.fiscal_year, rev2.revision) == ("strong-community", 2565, 2)
    assert Item.objects.get(pk=item.pk).points == 4  # the used revision is untouched

    services.assessment_recompute(actor=officer, assessment=old)
    old.refresh_from_db()
    assert (old.instrument_id, old.score, old.max_score) == (rev1.pk, 98, 100)

    new = start(world, fy=2569)
    assert new.instrument == rev2
    services.assessment_answer(actor=officer, assessment=new, answers=full_answers(
        rev2, override={"1.1": AnswerInput(value=2)}), submit=True)
    new.refresh_from_db()
    assert (new.score, new.max_score) == (100, 104)

    # An unused revision is edited in place; an old revision cannot be edited any more.
    again = services.instrument_item_update(actor=national, item=rev2.items.get(code="1.2"), points=Decimal(5))
    assert again.instrument.revision == 3  # rev2 is used by `new`
    with pytest.raises(ValidationError, match="only the latest revision"):
        services.instrument_item_update(actor=national, item=item, points=Decimal(6))


def test_only_national_staff_edit_instruments(world):
    item = Instrument.objects.get(code="strong-community").items.first()
    for kind in ("council_a", "province_a", "auditor"):
        with pytest.raises(PermissionDenied):
            services.instrument_item_update(actor=world["users"][kind], item=item, points=Decimal(5))


def test_who_may_assess(world, councils):
    with pytest.raises(PermissionDenied):
        services.assessment_start(actor=world["users"]["council_a"], instrument_code="strong-community",
                                  fiscal_year=2569, subdistrict=world["sub_b"])
    with pytest.raises(PermissionDenied, match="reviewed assessment"):
        start(world, mode="review")
    reviewed = services.assessment_start(actor=world["users"]["province_a"], instrument_code="strong-community",
                                         fiscal_year=2569, subdistrict=world["sub_a"], mode="review")
    assert reviewed.mode == "review"
    with pytest.raises(ValidationError, match="assesses a council"):
        services.assessment_start(actor=world["users"]["admin"], instrument_code="council-quality",
                                  fiscal_year=2569, subdistrict=world["sub_a"])
    council = services.assessment_start(actor=world["users"]["council_a"], instrument_code="council-quality",
                                        fiscal_year=2569, organisation=councils["a"].organisation)
    assert council.subject_key == "org:CC-500203" and council.subdistrict == world["sub_a"]
    with pytest.raises(ValidationError, match="already has this assessment for FY 2569"):
        start(world)
        start(world)


def test_a_council_officer_scoped_to_the_council_keeps_its_tambons_assessment(world, councils, make_user):
    """roles.py lets a council officer be given the council itself: the tambon's strong-community assessment (a
    subdistrict's, no organisation) is the council's to run and see, as for an officer of the subdistrict — not
    another tambon's, nor an organisation's of the same tambon (the welfare fund's own assessment)."""
    from chumchon.access.roles import Action
    from chumchon.access.scoping import restrict

    officer = make_user("council_org_a", Role.COUNCIL_OFFICER, ScopeKind.ORGANISATION, councils["a"].organisation)
    mine = services.assessment_start(actor=officer, instrument_code="strong-community", fiscal_year=2569,
                                     subdistrict=world["sub_a"])
    services.assessment_answer(actor=officer, assessment=mine, answers=full_answers(mine.instrument), submit=True)
    with pytest.raises(PermissionDenied):
        services.assessment_start(actor=officer, instrument_code="strong-community", fiscal_year=2569,
                                  subdistrict=world["sub_b"])
    admin = world["users"]["admin"]
    other = services.assessment_start(actor=admin, instrument_code="strong-community", fiscal_year=2569,
                                      subdistrict=world["sub_b"])
    fund = services.assessment_start(actor=admin, instrument_code="welfare-fund-quality", fiscal_year=2569,
                                     organisation=world["fund_a"].organisation)
    with pytest.raises(PermissionDenied):
        services.assessment_start(actor=officer, instrument_code="welfare-fund-quality", fiscal_year=2568,
                                  organisation=world["fund_a"].organisation)
    for action in (Action.VIEW, Action.CHANGE):
        assert list(restrict(Assessment.objects.all(), officer, action)) == [mine], action
    assert set(restrict(Answer.objects.all(), officer, Action.VIEW).values_list("assessment", flat=True)) == {mine.pk}
    assert services.may_assess(officer, subdistrict=world["sub_a"], organisation=None)
    assert not services.may_assess(officer, subdistrict=world["sub_a"], organisation=world["fund_a"].organisation)
    # The subdistrict's officer still reads the fund's assessment and changes none of it; fund B's committee,
    # scoped to an organisation too, gains nothing from the council's path.
    area_officer = world["users"]["council_a"]
    assert restrict(Assessment.objects.filter(pk=fund.pk), area_officer, Action.VIEW).exists()
    assert not restrict(Assessment.objects.filter(pk=fund.pk), area_officer, Action.CHANGE).exists()
    assert not restrict(Assessment.objects.filter(pk__in=[mine.pk, other.pk]), world["users"]["committee_b"],
                        Action.VIEW).exists()


def test_year_on_year_comparison(world):
    officer = world["users"]["council_a"]
    last = start(world, fy=2568)
    services.assessment_answer(actor=officer, assessment=last, answers=full_answers(last.instrument), submit=True)
    this = start(world, fy=2569)
    services.assessment_answer(actor=officer, assessment=this, answers=full_answers(this.instrument, override={
        "3.2": AnswerInput(value=1), "4.1": AnswerInput(value=0)}), submit=True)
    history = selectors.history(officer, this)
    assert [a.fiscal_year for a in history] == [2568, 2569]
    chart = selectors.dimensions_over_time(history)
    assert chart["years"] == [2568, 2569]
    assert [r["percents"] for r in chart["rows"]][2:] == [[Decimal(100), Decimal(88)], [Decimal(100), Decimal(84)]]
    dropped = selectors.items_dropped(officer, history[0], history[1])
    assert [(d["code"], d["before"], d["after"]) for d in dropped] == [("4.1", 4, 0), ("3.2", 4, 1)]
    assert Assessment.objects.get(pk=this.pk).level_code == "excellent"  # 93 %
