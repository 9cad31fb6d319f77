"""Claims are personal, often health data (PDPA s.26): only those who may see personal data see them.

Given a paid hospital claim of fund A, when the fund's committee, an auditor, the provincial secretariat and the
tambon's council officer open the claims, then the first two see them and the others get 404 (and no link on the
fund page); and the journal entry of the payment names the member by number, never by name.
"""

import datetime

import pytest
from django.urls import reverse

from chumchon.welfare import services
from chumchon.welfare.models import BenefitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(funded, members, treasurer_and_chair):
    treasurer, chair = treasurer_and_chair
    claim = services.claim_submit(actor=treasurer, membership=members[1], kind=BenefitKind.objects.get(code="hospital"),
                                  event_date=datetime.date(2022, 8, 2), units=1, consent=True, idempotency_key="p1")
    services.claim_decide(actor=chair, claim=claim, approve=True)
    return services.claim_pay(actor=treasurer, claim=claim, date=datetime.date(2022, 8, 3))


@pytest.mark.parametrize(("who", "status"), [("committee_a", 200), ("auditor", 200), ("province_a", 404),
                                             ("council_a", 404), ("regional_north", 404)])
def test_who_sees_a_claim(world, paid, client, login, who, status):
    login(world["users"][who])
    code = world["fund_a"].code
    assert client.get(reverse("welfare:claim_list", args=[code])).status_code == status
    assert client.get(reverse("welfare:claim_detail", args=[code, paid.pk])).status_code == status
    assert client.get(reverse("welfare:voucher", args=[code, paid.pk])).status_code == status
    fund_page = client.get(reverse("welfare:fund_detail", args=[code])).content.decode()
    assert (f'href="{reverse("welfare:claim_list", args=[code])}"' in fund_page) == (status == 200)


def test_the_books_name_the_member_by_number_only(paid, members):
    memo = paid.entry.memo
    assert members[1].member_number in memo
    assert members[1].person.first_name not in memo and members[1].person.last_name not in memo
