"""The assessments API: instruments for every signed-in user, assessments scoped like the pages and paginated in
the database, one assessment with its dimensions and answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chumchon.assessments import services
from chumchon.assessments.services import AnswerInput
from chumchon.geo.models import Subdistrict

pytestmark = pytest.mark.django_db
BASE = "/api/v1/assessments"


def _assess(world, subdistrict, fy=2569, submit=True):
    admin = world["users"]["admin"]
    a = services.assessment_start(actor=admin, instrument_code="strong-community", fiscal_year=fy,
                                  subdistrict=subdistrict)
    answers = {i.code: AnswerInput(value={"yes_no": 1, "scale": i.scale_max, "number": i.number_target}[i.answer_type],
                                   evidence="ภาพ") for i in a.instrument.items.all()}
    return services.assessment_answer(actor=admin, assessment=a, answers=answers, submit=submit)


def test_assessments_are_scoped(world, client, login):
    mine = _assess(world, world["sub_a"])
    other = _assess(world, world["sub_b"])
    login(world["users"]["council_a"])
    items = client.get(f"{BASE}/").json()["items"]
    assert [(a["subject"], a["level"], a["percent"]) for a in items] == [("sub:500203", "excellent", "100.00")]
    assert client.get(f"{BASE}/{other.pk}").status_code == 404
    detail = client.get(f"{BASE}/{mine.pk}").json()
    assert detail["instrument_version"] == "2565.1" and len(detail["dimensions"]) == 4
    assert len(detail["answers"]) == 28 and detail["answers"][0]["evidence"] == "ภาพ"


def test_instruments_for_every_signed_in_user(world, client, login):
    login(world["users"]["member"])
    codes = {i["code"] for i in client.get(f"{BASE}/instruments").json()}
    assert {"strong-community", "council-quality", "welfare-fund-quality", "borrower-grade"} <= codes


def test_list_queries_do_not_grow_with_rows(world, client, login, django_assert_max_num_queries):
    _assess(world, world["sub_a"])
    login(world["users"]["admin"])
    with CaptureQueriesContext(connection) as first:
        assert client.get(f"{BASE}/").status_code == 200
    for sub in Subdistrict.objects.filter(province_id="50").exclude(code="500203")[:6]:
        _assess(world, sub, submit=False)
    with django_assert_max_num_queries(len(first)):
        body = client.get(f"{BASE}/?limit=4").json()
    assert body["count"] == 7 and len(body["items"]) == 4
