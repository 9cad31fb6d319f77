"""List pages export what they show (dataio.lists): the user's scope and the page's filters, every page, Thai and
English header rows, B.E. dates, money exact; one audit row each; queries do not grow with the rows."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from chumchon.core.models import AuditLog
from chumchon.welfare.models import Fund

pytestmark = pytest.mark.django_db
D = datetime.date


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv(client, url, **params) -> list[list[str]]:
    response = client.get(url, {**params, "format": "csv"})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    assert re.match(r'attachment; filename="[a-z-]+-25\d{6}\.csv"', response["Content-Disposition"])
    body = _body(response)
    assert body.startswith("\ufeff".encode())  # Excel opens UTF-8 with the BOM
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx(client, url, **params) -> list[list]:
    response = client.get(url, {**params, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(_body(response)), read_only=True).active
    return [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def filled(world, councils):
    """Plans and assessments in both provinces, a second household (in Khon Kaen), money in fund A's cash."""
    from chumchon.assessments import services as assessments
    from chumchon.councils import services as council_services
    from chumchon.ledger import services as ledger
    from chumchon.ledger.models import Book
    from chumchon.people import services as people

    admin = world["users"]["admin"]
    for key, council in councils.items():
        council_services.plan_create(actor=admin, subdistrict=council.organisation.subdistrict, fiscal_year=2569,
                                     title=f"แผนพัฒนา {key}", council=council)
    for sub in (world["sub_a"], world["sub_b"]):
        assessments.assessment_start(actor=admin, instrument_code="strong-community", fiscal_year=2569,
                                     subdistrict=sub)
    people.household_create(actor=admin, code="HH-B-1", subdistrict=world["sub_b"], village_number=7,
                            registered_by=world["fund_b"].organisation)
    book = Book.objects.get(organisation=world["fund_a"].organisation)
    ledger.receipt_post(actor=admin, book=book, date=D(2025, 11, 3), amount=Decimal("1234.50"),
                        income_account="4101", memo="เงินสมทบ", idempotency_key="list-export-test")
    return world


# (page, user who looks, text that must be in the file, text that must not)
SCOPED = [
    ("welfare:fund_list", "committee_b", "B-001", "A-001"),
    ("people:household_list", "committee_b", "HH-B-1", "HH-A-1"),
    ("core:audit_list", "province_other", "กองทุนสวัสดิการชุมชน B", "กองทุนสวัสดิการชุมชน A"),
    ("ledger:book_list", "committee_b", "B-001", "A-001"),
    ("councils:plan_list", "province_other", "แผนพัฒนา b", "แผนพัฒนา a"),
    ("assessments:assessment_list", "council_a", "ตำบลบ้านหลวง", "400101"),
]


@pytest.mark.parametrize(("name", "user", "mine", "theirs"), SCOPED)
def test_the_file_holds_the_users_scope_only(name, user, mine, theirs, filled, client, login):
    login(filled["users"][user])
    rows = _csv(client, reverse(name))
    text = "\n".join(",".join(r) for r in rows)
    assert mine in text and theirs not in text
    assert rows[2:], "the file has data rows"
    xlsx = _xlsx(client, reverse(name))
    assert len(xlsx) == len(rows) and xlsx[0] == rows[0] and xlsx[1] == rows[1]


@pytest.mark.parametrize("name", [s[0] for s in SCOPED] + ["assessments:instrument_list"])
def test_thai_header_then_english_then_every_row_of_every_page(name, filled, client, login, system_user):
    from chumchon.people import services as people

    for i in range(55):  # more than one page of 50
        people.household_create(actor=system_user, code=f"HH-P-{i:02d}", subdistrict=filled["sub_a"])
    login(filled["users"]["admin"])
    rows = _csv(client, reverse(name))
    assert re.search("[\u0e00-\u0e7f]", "".join(rows[0])), "Thai header first"
    assert all(re.fullmatch(r"[a-z_]+", head) for head in rows[1]), rows[1]
    page = client.get(reverse(name)).context
    expected = page["page_obj"].paginator.count if "page_obj" in page else len(page["instruments"])
    assert len(rows) - 2 == expected
    if name == "people:household_list":
        assert expected > 50


@pytest.mark.parametrize("name", [s[0] for s in SCOPED])
def test_query_count_does_not_grow_with_rows(name, filled, client, login, system_user, make_person):
    from chumchon.assessments import services as assessments
    from chumchon.councils import services as council_services
    from chumchon.geo.models import Subdistrict
    from chumchon.people import services as people
    from chumchon.welfare import services as welfare

    login(filled["users"]["admin"])

    def count() -> int:
        for fmt in ("csv", "xlsx"):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(reverse(name), {"format": fmt})
                _body(response)
            assert response.status_code == 200
        return len(ctx)

    before = count()
    for i, sub in enumerate(Subdistrict.objects.filter(province_id="50").exclude(code="500203")[:5]):
        welfare.fund_create(actor=system_user, code=f"X-{i:03d}", name_th=f"กองทุน {i}", subdistrict=sub)
        people.household_create(actor=system_user, code=f"HH-X-{i}", subdistrict=sub)
        council_services.plan_create(actor=system_user, subdistrict=sub, fiscal_year=2569, title=f"แผน {i}")
        assessments.assessment_start(actor=system_user, instrument_code="strong-community", fiscal_year=2569,
                                     subdistrict=sub)
    assert count() == before


def test_values_as_people_read_them(filled, client, login):
    """Money exact (1,234.50 in fund A's cash), B.E. dates and Thai time, Thai labels."""
    login(filled["users"]["admin"])
    books = {r[0]: r for r in _csv(client, reverse("ledger:book_list"))[2:]}
    assert books["A-001"][3] == "1234.50" and books["B-001"][3] == "0.00"
    sheet = {r[0]: r for r in _xlsx(client, reverse("ledger:book_list"))[2:]}
    assert sheet["A-001"][3] == Decimal("1234.50") or sheet["A-001"][3] == pytest.approx(1234.5)
    audit = _csv(client, reverse("core:audit_list"))[2:]
    assert all(re.fullmatch(r"\d\d/\d\d/25\d\d \d\d:\d\d", r[0]) for r in audit)
    funds = {r[0]: r for r in _csv(client, reverse("welfare:fund_list"))[2:]}
    assert funds["A-001"][1] == "กองทุนสวัสดิการชุมชน A" and funds["A-001"][4] == "เชียงใหม่"
    assert funds["A-001"][6] == "3"  # three active members
    with translation.override("th"):
        active = str(Fund.Status.ACTIVE.label)
    assert funds["A-001"][7] == active == "ปกติ"  # the Thai label, whatever the page's language


def test_the_pages_filters_apply(filled, client, login):
    login(filled["users"]["admin"])
    audit = _csv(client, reverse("core:audit_list"), action="ledger.")[2:]
    assert audit and all(r[2].startswith("ledger.") for r in audit)
    assert not _csv(client, reverse("councils:plan_list"), fy="2568")[2:]
    assert len(_csv(client, reverse("councils:plan_list"), fy="2569")[2:]) == 2


def test_each_export_is_audited(filled, client, login):
    login(filled["users"]["committee_b"])
    rows = _csv(client, reverse("welfare:fund_list"))
    row = AuditLog.objects.filter(action="dataio.list_export").latest("pk")
    assert row.actor == filled["users"]["committee_b"]
    assert row.data["list"] == "funds" and row.data["format"] == "csv" and row.data["rows"] == len(rows) - 2


def test_unknown_format_is_refused_by_name(filled, client, login):
    login(filled["users"]["admin"])
    response = client.get(reverse("welfare:fund_list"), {"format": "pdf"})
    body = response.content.decode()
    assert response.status_code == 400 and "format" in body and "ไม่รู้จักรูปแบบ" in body and "use xlsx or csv" in body
    assert not AuditLog.objects.filter(action="dataio.list_export").exists()


def test_audit_log_export_needs_the_audit_permission(filled, client, login):
    login(filled["users"]["committee_a"])
    assert client.get(reverse("core:audit_list"), {"format": "csv"}).status_code == 403


def test_the_page_offers_the_export_keeping_its_filters(filled, client, login):
    login(filled["users"]["admin"])
    body = client.get(reverse("core:audit_list"), {"action": "ledger.", "page": "1"}).content.decode()
    form = re.search(r'<form method="get" class="list-export".*?</form>', body, re.S).group(0)
    assert 'name="action" value="ledger."' in form and 'name="page"' not in form
    assert 'value="xlsx"' in form and 'value="csv"' in form
