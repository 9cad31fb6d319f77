"""The member pages: registering a member says everything wrong with the form in one round."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chumchon.people.models import Person
from chumchon.welfare.models import Membership

pytestmark = pytest.mark.django_db


def test_every_mistake_of_the_enrol_form_comes_back_at_once_and_nothing_is_written(world, fund, client, login):
    login(world["users"]["committee_a"])
    url = reverse("welfare:member_enrol", args=[fund.code])
    future = timezone.localdate() + datetime.timedelta(days=400)
    people, members = Person.objects.count(), Membership.objects.count()
    response = client.post(url, {
        "title": "นาง", "first_name": "ทดลอง", "last_name": "อนาคต", "national_id": "1234567890123",
        "birth_date": f"01/01/{future.year + 543}", "sex": "F",
        "subdistrict": fund.organisation.subdistrict_id, "member_number": "09998",
        "joined_on": f"{future.day:02d}/{future.month:02d}/{future.year + 543}", "idempotency_key": "k1"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"national_id", "birth_date", "joined_on"} <= set(errors), errors
    assert "อนาคต" in errors["joined_on"][0] and "in the future" in errors["joined_on"][0]
    assert (Person.objects.count(), Membership.objects.count()) == (people, members)


def test_a_receipt_and_a_claim_lead_back_through_the_member_and_the_claims(world, fund, client, login, system_user):
    from chumchon.welfare import services

    member = fund.memberships.order_by("member_number").first()
    paid = services.contribution_receive(actor=system_user, membership=member, amount=30,
                                         date=timezone.localdate(), idempotency_key="crumb")
    login(world["users"]["committee_a"])
    crumbs = client.get(reverse("welfare:receipt", args=[fund.code, paid.receipt_number])).context["breadcrumbs"]
    assert crumbs[-2]["url"] == reverse("welfare:member_detail", args=[fund.code, member.member_number])
    crumbs = client.get(reverse("welfare:claim_create", args=[fund.code])).context["breadcrumbs"]
    assert crumbs[-2]["url"] == reverse("welfare:claim_list", args=[fund.code])


def test_a_member_opens_their_own_receipts_and_no_one_elses(world, fund, client, login, system_user):
    """The member's record links each receipt to a page (and its PDF) found through their own membership; another
    member's receipt number answers 404. Their menu has "My record", not the fund list they cannot see."""
    from chumchon.welfare import services

    own, other = (p.memberships.get() for p in world["a_people"][:2])
    mine = services.contribution_receive(actor=system_user, membership=own, amount=30, date=timezone.localdate(),
                                         idempotency_key="mine")
    theirs = services.contribution_receive(actor=system_user, membership=other, amount=30,
                                           date=timezone.localdate(), idempotency_key="theirs")
    login(world["users"]["member"])
    record = client.get(reverse("welfare:my_record"))
    url = reverse("welfare:my_receipt", args=[fund.code, mine.receipt_number])
    assert f'href="{url}"' in record.content.decode()
    nav = {item["label"]: item["active"] for item in record.context["nav_items"]}
    assert nav.get("ข้อมูลของฉัน") is True and "กองทุน" not in nav, nav
    assert mine.receipt_number in client.get(url).content.decode()
    assert client.get(url + "?format=pdf")["Content-Type"] == "application/pdf"
    assert client.get(reverse("welfare:my_receipt", args=[fund.code, theirs.receipt_number])).status_code == 404
