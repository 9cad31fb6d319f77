"""Claims end to end: submit with consent, decide by another committee member, pay with a voucher."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chumchon.ledger.models import Account
from chumchon.welfare import services
from chumchon.welfare.models import BenefitKind, Claim

pytestmark = pytest.mark.django_db
D = datetime.date


def _kind(code):
    return BenefitKind.objects.get(code=code)


def test_hospital_claim_paid_under_the_rules(funded, members, treasurer_and_chair):
    treasurer, chair = treasurer_and_chair
    claim = services.claim_submit(actor=treasurer, membership=members[0], kind=_kind("hospital"),
                                  event_date=D(2022, 8, 2), units=2, consent=True, idempotency_key="h1")
    assert claim.eligible and claim.amount == Decimal(400)
    with pytest.raises(ValidationError) as exc:
        services.claim_decide(actor=treasurer, claim=claim, approve=True)
    assert exc.value.error_dict["decided_by"][0].code == "four_eyes"
    claim = services.claim_decide(actor=chair, claim=claim, approve=True)
    claim = services.claim_pay(actor=treasurer, claim=claim, date=D(2022, 8, 3))
    assert claim.status == "paid" and claim.voucher_number == "PV2565-00001"
    book = funded.organisation.book
    assert Account.objects.get(book=book, code="5103").balance == Decimal(400)


def test_health_claim_needs_consent(funded, members, treasurer_and_chair):
    with pytest.raises(ValidationError) as exc:
        services.claim_submit(actor=treasurer_and_chair[0], membership=members[0], kind=_kind("hospital"),
                              event_date=D(2022, 8, 2), units=1, idempotency_key="h1")
    assert "PDPA s.26" in exc.value.message_dict["consent"][0]


def test_year_cap_across_claims(funded, members, treasurer_and_chair):
    treasurer, chair = treasurer_and_chair
    amounts = []
    for i, nights in enumerate([3, 3, 3]):
        claim = services.claim_submit(actor=treasurer, membership=members[0], kind=_kind("hospital"),
                                      event_date=D(2022, 3 + i, 1), units=nights, consent=True, idempotency_key=f"h{i}")
        amounts.append(claim.amount)
        if claim.eligible:
            services.claim_decide(actor=chair, claim=claim, approve=True)
    assert amounts == [Decimal(600), Decimal(400), Decimal(0)]


def test_claim_outside_the_rules_cannot_be_approved(funded, members, treasurer_and_chair):
    treasurer, chair = treasurer_and_chair
    claim = services.claim_submit(actor=treasurer, membership=members[0], kind=_kind("hospital"),
                                  event_date=D(2020, 2, 1), units=1, consent=True, idempotency_key="h1")
    assert not claim.eligible
    assert any("not met" in r["en"] for r in claim.explanation)
    with pytest.raises(ValidationError):
        services.claim_decide(actor=chair, claim=claim, approve=True)
    rejected = services.claim_decide(actor=chair, claim=claim, approve=False, reason="ยังไม่ครบระยะเวลารอสิทธิ์")
    assert rejected.status == "rejected"


def test_rule_versions_follow_the_event_date(funded, members, treasurer_and_chair, system_user):
    treasurer, _ = treasurer_and_chair
    services.benefit_rule_set(actor=system_user, fund=funded, kind=_kind("newborn"), effective_from=D(2022, 6, 1),
                              amount=Decimal(1000), waiting_days=180, beneficiary="either")
    before = services.claim_submit(actor=treasurer, membership=members[0], kind=_kind("newborn"),
                                   event_date=D(2022, 5, 31), consent=True, idempotency_key="n1")
    after = services.claim_submit(actor=treasurer, membership=members[1], kind=_kind("newborn"),
                                  event_date=D(2022, 6, 1), consent=True, idempotency_key="n2")
    assert (before.amount, after.amount) == (Decimal(500), Decimal(1000))


def test_payout_larger_than_the_money_of_its_source_is_refused(fund, members, treasurer_and_chair):
    treasurer, chair = treasurer_and_chair
    # Paid up to the event (945 days = 945 baht of members' money), but the funeral benefit is 3,000.
    services.contribution_receive(actor=treasurer, membership=members[0], amount=945, date=D(2022, 8, 1),
                                  idempotency_key="c0")
    claim = services.claim_submit(actor=treasurer, membership=members[0], kind=_kind("funeral"),
                                  event_date=D(2022, 8, 2), idempotency_key="f1")
    services.claim_decide(actor=chair, claim=claim, approve=True)
    with pytest.raises(ValidationError) as exc:
        services.claim_pay(actor=treasurer, claim=claim, date=D(2022, 8, 3))
    assert exc.value.error_dict["amount"][0].code == "insufficient_source"
    assert Claim.objects.get(pk=claim.pk).status == "approved"


def test_pension_batch(funded, members, treasurer_and_chair, world):
    from chumchon.people.models import Person

    Person.objects.filter(pk=world["a_people"][0].pk).update(birth_date=D(1950, 1, 1))
    treasurer, chair = treasurer_and_chair
    made = services.pension_batch_prepare(actor=treasurer, fund=funded, date=D(2023, 1, 31))
    assert [c.membership_id for c in made] == [members[0].pk] and made[0].amount == Decimal(200)
    assert services.pension_batch_prepare(actor=treasurer, fund=funded, date=D(2023, 1, 31)) == []


def test_member_sees_own_record_only(funded, members, world, client, login):
    from django.urls import reverse

    login(world["users"]["member"])
    body = client.get(reverse("welfare:my_record")).content.decode()
    own = members[0]
    assert own.member_number in body and "RC2565-00001" in body
    assert "RC2565-00002" not in body  # another member's receipt


def test_committee_adds_a_rule_version_with_tiers(fund, world, client, login):
    from django.urls import reverse

    from chumchon.welfare.models import BenefitRule

    login(world["users"]["committee_a"])
    url = reverse("welfare:rules", args=[fund.code])
    data = {"kind": _kind("funeral").pk, "effective_from": "1/10/2566", "is_offered": "on", "amount_type": "tiered",
            "tiers": "0:5000, 5:15000", "waiting_days": "180", "arrears_tolerance_days": "90", "beneficiary": "member"}
    assert client.post(url, data).status_code == 302
    rule = BenefitRule.objects.get(fund=fund, kind__code="funeral", effective_from=D(2023, 10, 1))
    assert rule.tiers == [{"years": 0, "amount": "5000"}, {"years": 5, "amount": "15000"}]
    bad = client.post(url, {**data, "tiers": "five:100"})
    assert "years:amount" in bad.context["form"].errors["tiers"][0]


def test_setting_a_version_again_replaces_all_its_terms(fund, world, client, login):
    """The hospital rule of 1 Jan 2563 caps a stay at 600 and a year at 1,000. The committee saves that version again
    with the yearly cap left blank: the yearly cap is gone (claims are no longer cut to 1,000 a year)."""
    from django.urls import reverse

    from chumchon.welfare.models import BenefitRule

    rule = BenefitRule.objects.get(fund=fund, kind__code="hospital", effective_from=D(2020, 1, 1))
    assert (rule.cap_per_event, rule.cap_per_year) == (600, 1000)
    login(world["users"]["committee_a"])
    response = client.post(reverse("welfare:rules", args=[fund.code]), {
        "kind": _kind("hospital").pk, "effective_from": "1/1/2563", "is_offered": "on", "amount_type": "per_unit",
        "unit_amount": "200", "waiting_days": "180", "arrears_tolerance_days": "90", "beneficiary": "member",
        "cap_per_event": "600", "cap_per_year": ""})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.cap_per_event, rule.cap_per_year, rule.evidence_required) == (600, None, "")


def test_auditor_sees_rules_but_cannot_add(fund, world, client, login):
    from django.urls import reverse

    login(world["users"]["auditor"])
    url = reverse("welfare:rules", args=[fund.code])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403


def test_pension_is_paid_once_a_year_whatever_the_batch_date(funded, members, treasurer_and_chair, world):
    from chumchon.people.models import Person

    Person.objects.filter(pk=world["a_people"][0].pk).update(birth_date=D(1950, 1, 1))
    treasurer, _ = treasurer_and_chair
    assert len(services.pension_batch_prepare(actor=treasurer, fund=funded, date=D(2023, 1, 31))) == 1
    assert services.pension_batch_prepare(actor=treasurer, fund=funded, date=D(2023, 2, 1)) == []
    # The next fiscal year is a new period (the member keeps paying).
    services.contribution_receive(actor=treasurer, membership=members[0], amount=365, date=D(2023, 9, 1),
                                  idempotency_key="top-up")
    assert len(services.pension_batch_prepare(actor=treasurer, fund=funded, date=D(2023, 10, 2))) == 1


def test_paying_a_members_funeral_ends_the_membership(fund, members, treasurer_and_chair, system_user):
    treasurer, chair = treasurer_and_chair
    services.grant_receive(actor=system_user, fund=fund, source="government", amount=50000, date=D(2022, 1, 2),
                           idempotency_key="g")
    services.contribution_receive(actor=treasurer, membership=members[0], amount=3650, date=D(2022, 1, 3),
                                  idempotency_key="c0")
    claim = services.claim_submit(actor=treasurer, membership=members[0], kind=_kind("funeral"),
                                  event_date=D(2022, 8, 2), idempotency_key="f1")
    services.claim_decide(actor=chair, claim=claim, approve=True)
    services.claim_pay(actor=treasurer, claim=claim, date=D(2022, 8, 3), cash_account="1101")
    members[0].refresh_from_db()
    assert (members[0].status, members[0].ended_on) == ("deceased", D(2022, 8, 2))


def test_evidence_must_be_an_image_or_pdf(fund, world, client, login):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    login(world["users"]["committee_a"])
    fake = SimpleUploadedFile("certificate.jpg", b"not really a jpeg", content_type="image/jpeg")
    response = client.post(reverse("welfare:claim_create", args=[fund.code]), {
        "member_number": "00001", "kind": _kind("newborn").pk, "event_date": "2/8/2565", "units": "1",
        "consent": "on", "idempotency_key": "k", "evidence": fake})
    assert "JPEG, PNG or PDF" in response.context["form"].errors["evidence"][0]


@pytest.mark.parametrize(("name", "content", "said"), [
    ("certificate.html", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n",
     "the file name of the evidence file must end in .pdf"),
    ("certificate.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n",
     "the evidence file is an incomplete PDF file (no %%EOF at its end)"),
    ("certificate.png", b"\xff\xd8\xff\xe0 a photo \xff\xd9", "must end in .jpg or .jpeg"),
])
def test_evidence_content_end_and_name_must_agree(fund, world, client, login, name, content, said):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    login(world["users"]["committee_a"])
    response = client.post(reverse("welfare:claim_create", args=[fund.code]), {
        "member_number": "00001", "kind": _kind("newborn").pk, "event_date": "2/8/2565", "units": "1",
        "consent": "on", "idempotency_key": "k", "evidence": SimpleUploadedFile(name, content)})
    error = response.context["form"].errors["evidence"][0]
    assert error.startswith("ชื่อไฟล์หลักฐาน") or error.startswith("ไฟล์หลักฐาน")  # Thai first, naming the field
    assert said in error


def test_a_claim_cannot_name_another_funds_person_as_beneficiary(fund, world, client, login):
    from django.urls import reverse

    login(world["users"]["committee_a"])
    outsider = world["b_people"][0]
    response = client.post(reverse("welfare:claim_create", args=[fund.code]), {
        "member_number": "00001", "kind": _kind("newborn").pk, "event_date": "2/8/2565", "units": "1",
        "beneficiary_national_id": outsider.personal_data.national_id, "consent": "on", "idempotency_key": "k"})
    assert response.status_code == 200
    assert "beneficiary not found" in response.context["form"].errors["beneficiary_national_id"][0]
    assert not Claim.objects.exists()


def test_a_claim_form_says_every_mistake_at_once(fund, world, client, login):
    """Unknown member, a date to come, health data without consent, negative units: one round, nothing kept."""
    from django.urls import reverse

    login(world["users"]["committee_a"])
    future = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(reverse("welfare:claim_create", args=[fund.code]), {
        "member_number": "777", "kind": _kind("hospital").pk, "units": "-1", "idempotency_key": "k",
        "event_date": f"{future.day}/{future.month}/{future.year + 543}"})
    errors = response.context["form"].errors
    assert set(errors) == {"member_number", "event_date", "units", "consent"}, errors
    assert "ไม่พบเลขสมาชิก 777" in errors["member_number"][0] and "อนาคต" in errors["event_date"][0]
    assert not Claim.objects.exists()


def test_a_member_number_is_found_as_typed_without_its_zeros_or_in_thai_digits(fund, world, client, login):
    """Member 00002 typed "2" or "๐๒", and the dependant named by a national ID typed with dashes."""
    from django.urls import reverse

    from chumchon.core.thai.digits import to_thai_digits

    login(world["users"]["committee_a"])
    dependant = world["a_people"][2]
    nid = dependant.personal_data.national_id
    dashed = f"{nid[0]}-{nid[1:5]}-{nid[5:10]}-{nid[10:12]}-{nid[12]}"
    for i, typed in enumerate(["2", to_thai_digits("02")]):
        response = client.post(reverse("welfare:claim_create", args=[fund.code]), {
            "member_number": typed, "kind": _kind("funeral").pk, "event_date": "2/8/2565", "units": "1",
            "beneficiary_national_id": dashed, "idempotency_key": f"k{i}"})
        assert response.status_code == 302, response.context["form"].errors
    claims = Claim.objects.filter(fund=fund)
    assert {(c.membership.member_number, c.beneficiary_id) for c in claims} == {("00002", dependant.pk)}


def test_matching_money_view_is_scoped(fund, world, system_user, client, login):
    from django.urls import reverse

    services.grant_receive(actor=system_user, fund=world["fund_b"], source="government", amount=700,
                           date=D(2022, 1, 2), members_covered=3, idempotency_key="gb")
    services.grant_receive(actor=system_user, fund=fund, source="local", amount=500, date=D(2022, 1, 2),
                           idempotency_key="ga")
    login(world["users"]["province_a"])
    body = client.get(reverse("welfare:matching_overview") + "?fy=2565").content.decode()
    assert "A-001" in body and "B-001" not in body and "700.00" not in body


def test_a_benefit_paid_out_of_government_matching_money(funded, members, treasurer_and_chair, system_user, client,
                                                         login):
    """Members' money: 3,285 paid in, 3,000 spent on administration, 285 left. The government's matching 3,000
    came into the bank. A 600-baht hospital stay cannot come out of members' money — the refusal says the
    government money could pay it — and is paid out of that: Dr 5201 600 / Cr 1102 600, leaving government money
    2,400."""
    from chumchon.ledger import services as ledger
    from chumchon.welfare.selectors import money_by_source

    fund = funded
    treasurer, chair = treasurer_and_chair
    ledger.payment_post(actor=system_user, book=fund.organisation.book, date=D(2022, 1, 4), amount=3000,
                        expense_account="5301", memo="ค่าบริหารจัดการ", idempotency_key="adm")
    services.grant_receive(actor=system_user, fund=fund, source="government", amount=3000, date=D(2022, 1, 5),
                           idempotency_key="gov")
    claim = services.claim_submit(actor=treasurer, membership=members[0], kind=_kind("hospital"),
                                  event_date=D(2022, 8, 2), units=3, consent=True, idempotency_key="h1")
    claim = services.claim_decide(actor=chair, claim=claim, approve=True)
    with pytest.raises(ValidationError) as exc:
        services.claim_pay(actor=treasurer, claim=claim, date=D(2022, 8, 3), cash_account="1102")
    assert "government money holds 3,000.00" in exc.value.message_dict["amount"][0]
    with pytest.raises(ValidationError) as exc:
        services.claim_pay(actor=treasurer, claim=claim, date=D(2022, 8, 3), cash_account="1102", source="donations")
    assert "source" in exc.value.message_dict
    from django.urls import reverse

    login(treasurer)  # the claim page's pay form
    page = client.get(reverse("welfare:claim_detail", args=[fund.code, claim.pk]))
    assert page.context["pay_form"]["source"].value() == "members"
    client.post(reverse("welfare:claim_pay", args=[fund.code, claim.pk]),
                {"date": "3/8/2565", "cash_account": "1102", "source": "government"})
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.status == "paid"
    lines = {(line.account.code, line.debit, line.credit) for line in claim.entry.lines.select_related("account")}
    assert lines == {("5201", Decimal("600.00"), Decimal("0.00")), ("1102", Decimal("0.00"), Decimal("600.00"))}
    assert "จ่ายจากเงินสมทบรัฐบาล" in claim.entry.memo
    money = money_by_source(fund)
    assert (money["government"], money["members"]) == (Decimal("2400.00"), Decimal("285.00"))
    # cancelled, the mirror entry gives the government money back
    services.claim_payment_void(actor=system_user, claim=claim, reason="จ่ายผิดคน", idempotency_key="v")
    assert money_by_source(fund)["government"] == Decimal("3000.00")
