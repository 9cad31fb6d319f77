"""The area figures the area page and the annual report read: worked through by hand on a small world."""

import datetime
from decimal import Decimal

import pytest

from chumchon.assessments import services as assessment_services
from chumchon.councils import selectors, services
from chumchon.geo import services as geo_services

pytestmark = pytest.mark.django_db
D = datetime.date


def test_area_figures_for_a_fiscal_year(world, councils):
    admin = world["users"]["admin"]
    a = councils["a"]
    sao = geo_services.local_administration_create(actor=admin, subdistrict=world["sub_a"], name_th="อบต. A",
                                                   kind="sao")
    r1 = services.organisation_register(actor=admin, council=a, name_th="ออมทรัพย์", kind="savings", number="1",
                                        registered_on=D(2020, 1, 1))
    services.organisation_register(actor=admin, council=a, name_th="ผู้สูงอายุ", kind="elderly", number="2",
                                   registered_on=D(2025, 11, 1))  # FY 2569
    r3 = services.organisation_register(actor=admin, council=a, name_th="เยาวชน", kind="youth", number="3",
                                        registered_on=D(2020, 1, 1))
    services.registration_end(actor=admin, registration=r3, on=D(2024, 1, 1), reason="เลิก")
    services.member_seat(actor=admin, council=a, name="ก", term_start=D(2022, 4, 1), term_end=D(2027, 3, 31),
                         represents=r1.organization)
    services.member_seat(actor=admin, council=a, name="ข", term_start=D(2018, 4, 1), term_end=D(2022, 3, 31))
    plan = services.plan_create(actor=admin, subdistrict=world["sub_a"], fiscal_year=2569, title="แผน", council=a)
    i1 = services.plan_item_add(actor=admin, plan=plan, issue="น้ำ", activity="ขุด", budget_needed=Decimal(1000))
    i2 = services.plan_item_add(actor=admin, plan=plan, issue="ขยะ", activity="คัด", budget_needed=Decimal(500))
    services.plan_item_link(actor=admin, item=i1, agency_kind="local", local_administration=sao,
                            amount=Decimal(800), fiscal_year=2569)
    services.plan_item_link(actor=admin, item=i2, agency_kind="agency", agency_name="พช.", amount=Decimal(200),
                            fiscal_year=2569)
    plan_b = services.plan_create(actor=admin, subdistrict=world["sub_b"], fiscal_year=2569, title="แผน B")
    services.plan_item_add(actor=admin, plan=plan_b, issue="x", activity="y", budget_needed=Decimal(10))
    strong = assessment_services.assessment_start(actor=admin, instrument_code="strong-community",
                                                  fiscal_year=2569, subdistrict=world["sub_a"])
    answers = {i.code: assessment_services.AnswerInput(
        value={"yes_no": 1, "scale": i.scale_max, "number": i.number_target}[i.answer_type], evidence="ภาพ")
        for i in strong.instrument.items.all()}
    assessment_services.assessment_answer(actor=admin, assessment=strong, answers=answers, submit=True)

    f = selectors.area_figures(admin, 2569, model_target=4)
    assert (f["councils"], f["members"], f["organisations"], f["organisations_new"]) == (2, 1, 2, 1)
    assert {r["kind"]: r["count"] for r in f["organisations_by_kind"]} == {"savings": 1, "elderly": 1}
    assert (f["plans"], f["plans_supported"], f["supported_amount"]) == (2, 1, Decimal(800))
    assert (f["plans_linked"], f["linked_amount"]) == (1, Decimal(1000))
    assert (f["model_communities"], f["model_target"], f["model_percent"]) == (1, 4, Decimal("25.00"))
    assert f["assessed"]["strong-community"]["levels"] == {"excellent": 1}
    # Scoped: Khon Kaen's provincial secretariat sees only Khon Kaen; an area narrows it.
    other = selectors.area_figures(world["users"]["province_other"], 2569)
    assert (other["councils"], other["plans"], other["model_communities"]) == (1, 1, 0)
    assert selectors.area_figures(admin, 2569, subdistrict=world["sub_b"])["plans_supported"] == 0
    # FY 2566 ended 30 Sep 2023: the youth group was still registered, the elderly club not yet.
    assert selectors.area_figures(admin, 2566)["organisations"] == 2
    # The annual report asks without the kinds (a national query it does not show): the same figures otherwise.
    for year in (2566, 2569):
        with_kinds, plain = (selectors.area_figures(admin, year, by_kind=k) for k in (True, False))
        assert plain["organisations_by_kind"] == [] and with_kinds["organisations_by_kind"]
        assert {k: v for k, v in plain.items() if k != "organisations_by_kind"} == \
            {k: v for k, v in with_kinds.items() if k != "organisations_by_kind"}


def test_organisations_new_counts_every_registration_made_during_the_fiscal_year(world, councils):
    """FY 2567 runs 1 Oct 2023 – 30 Sep 2024. Worked by hand:

    ====================  ===========  ==============  ======================  =========
    organisation          registered   de-registered   live on 30 Sep 2024     new 2567
    ====================  ===========  ==============  ======================  =========
    savings               30 Sep 2023  —               yes                     no (FY 2566)
    elderly               1 Oct 2023   —               yes                     yes
    youth                 1 Dec 2023   1 Jun 2024      no                      yes
    women                 30 Sep 2024  —               yes                     yes
    occupation            1 Oct 2024   —               no (not yet)            no (FY 2568)
    ====================  ===========  ==============  ======================  =========

    Live at the year's end: 3; registered during the year: 3 (the youth group was registered in it, de-registered
    or not: "นับองค์กรที่จดแจ้งในปีงบประมาณ"); in Khon Kaen's council, one more new in the year."""
    admin = world["users"]["admin"]
    a = councils["a"]

    def register(name, kind, number, on, council=a):
        return services.organisation_register(actor=admin, council=council, name_th=name, kind=kind, number=number,
                                              registered_on=on)

    register("ออมทรัพย์", "savings", "1", D(2023, 9, 30))
    register("ผู้สูงอายุ", "elderly", "2", D(2023, 10, 1))
    youth = register("เยาวชน", "youth", "3", D(2023, 12, 1))
    services.registration_end(actor=admin, registration=youth, on=D(2024, 6, 1), reason="เลิก")
    register("สตรี", "women", "4", D(2024, 9, 30))
    register("อาชีพ", "occupation", "5", D(2024, 10, 1))
    register("ทอผ้า", "occupation", "1", D(2024, 3, 1), council=councils["b"])
    f = selectors.area_figures(admin, 2567)
    assert (f["organisations"], f["organisations_new"]) == (4, 4)  # with Khon Kaen's
    mine = selectors.area_figures(admin, 2567, subdistrict=world["sub_a"])
    assert (mine["organisations"], mine["organisations_new"]) == (3, 3)
    assert selectors.area_figures(admin, 2566, subdistrict=world["sub_a"])["organisations_new"] == 1
    assert selectors.area_figures(admin, 2568, subdistrict=world["sub_a"])["organisations_new"] == 1
    # Scoped: Chiang Mai's secretariat does not count Khon Kaen's.
    assert selectors.area_figures(world["users"]["province_a"], 2567)["organisations_new"] == 3
