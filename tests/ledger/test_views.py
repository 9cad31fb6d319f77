"""Book pages: scoped lists, constant query counts, the manual entry form with live totals, closing a year."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chumchon.ledger import services
from chumchon.ledger.models import Account, JournalEntry, Period

pytestmark = pytest.mark.django_db


def _entry_form(**lines):
    data = {"date": "5/1/2565", "memo": "รับเงินบริจาค", "reference": "RC-1", "idempotency_key": "form-1",
            "lines-TOTAL_FORMS": "4", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "40"}
    data.update(lines)
    return data


def _account(book, code):
    return str(Account.objects.get(book=book, code=code).pk)


def test_book_list_shows_only_own_books(world, client, login, book, other_book):
    login(world["users"]["committee_b"])
    body = client.get(reverse("ledger:book_list")).content.decode()
    assert "B-001" in body and "A-001" not in body


def test_journal_query_count_is_constant(world, client, login, book, post):
    login(world["users"]["committee_a"])
    url = reverse("ledger:journal", args=[book.code])
    post("2022-01-01", "one", [("1101", 10, 0), ("4101", 0, 10)])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        post("2022-01-02", f"more {i}", [("1101", 10, 0), ("4101", 0, 5), ("4301", 0, 5)])
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert len(many) == len(few) and "more 9" in body


def test_the_journal_shows_each_entry_whole_in_the_readers_words(world, client, login, book, post):
    """A three-line entry's amount is its debits added up (1,250.00), not its first line's; the sides are
    เดบิต/เครดิต in Thai, with each account's name."""
    login(world["users"]["committee_a"])
    post("2022-01-02", "ใบเก็บเงินสามบรรทัด", [("4101", 0, 1000), ("1101", 1250, 0), ("4301", 0, 250)])
    body = client.get(reverse("ledger:journal", args=[book.code])).content.decode()
    row = body.split("ใบเก็บเงินสามบรรทัด", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">1,250.00</td>' in row, row
    cash = Account.objects.get(book=book, code="1101")
    assert f"เดบิต <abbr title=\"{cash.name}\">1101</abbr>" in row and "เครดิต" in row and " Dr" not in row


def test_a_journal_asked_from_after_to_says_so(world, client, login, book, post):
    """31/12/2565 to 01/01/2565: the page says the dates are the wrong way round (and shows the span between
    them), not an empty list that reads as "no entries"."""
    post("2022-06-01", "กลางปี", [("1101", 10, 0), ("4101", 0, 10)])
    login(world["users"]["committee_a"])
    response = client.get(reverse("ledger:journal", args=[book.code]) + "?from=31/12/2565&to=01/01/2565")
    body = response.content.decode()
    assert "วันเริ่มต้นต้องไม่อยู่หลังวันสิ้นสุด" in body and "กลางปี" in body


def test_book_list_query_count_is_constant(world, client, login, system_user):
    from chumchon.welfare import services as welfare_services

    login(world["users"]["admin"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("ledger:book_list"))
    for i in range(5):
        welfare_services.fund_create(actor=system_user, code=f"Q-{i}", name_th=f"กองทุน {i}", subdistrict=world["sub_a"])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("ledger:book_list"))
    assert len(many) == len(few)


def test_treasurer_posts_a_manual_entry(world, client, login, book):
    login(world["users"]["committee_a"])
    data = _entry_form(**{"lines-0-account": _account(book, "1102"), "lines-0-debit": "1,500",
                          "lines-1-account": _account(book, "4301"), "lines-1-credit": "1500.00"})
    response = client.post(reverse("ledger:entry_create", args=[book.code]), data)
    assert response.status_code == 302
    entry = JournalEntry.objects.get(book=book)
    assert entry.date.isoformat() == "2022-01-05" and entry.reference == "RC-1"
    assert Account.objects.get(book=book, code="1102").balance == 1500
    # Pressing the button twice posts once.
    assert client.post(reverse("ledger:entry_create", args=[book.code]), data).status_code == 302
    assert JournalEntry.objects.filter(book=book).count() == 1
    assert "หนึ่งพันห้าร้อยบาทถ้วน" in client.get(response["Location"]).content.decode()


def test_a_manual_entry_never_takes_cash_below_zero(world, client, login, book, post):
    """Cash 100 on hand: paying 150 out of it is refused as a payment would be, naming the account and the
    shortfall, and nothing is posted; paying 100 empties it; pressing the button again posts nothing more."""
    post("2022-01-01", "สมทบ", [("1101", 100, 0), ("4101", 0, 100)])
    login(world["users"]["committee_a"])
    url = reverse("ledger:entry_create", args=[book.code])
    over = _entry_form(**{"lines-0-account": _account(book, "5103"), "lines-0-debit": "150",
                          "lines-1-account": _account(book, "1101"), "lines-1-credit": "150"})
    response = client.post(url, over)
    assert response.status_code == 200
    assert "1101" in response.content.decode() and "50.00" in response.content.decode()
    assert JournalEntry.objects.filter(book=book).count() == 1
    exact = {**over, "lines-0-debit": "100", "lines-1-credit": "100", "idempotency_key": "form-2"}
    assert client.post(url, exact).status_code == 302
    assert client.post(url, exact).status_code == 302  # the replay returns the entry posted, not a refusal
    assert Account.objects.get(book=book, code="1101").balance == 0
    assert JournalEntry.objects.filter(book=book).count() == 2


def test_a_mistyped_amount_heads_the_page_and_the_totals_still_add_up(world, client, login, book):
    """1,500 and 1,200 typed, then "abc": the page names line 3 at its top, and the totals under the lines are
    what the readable amounts add up to, marked "check the amounts" — not 0.00 and 0.00."""
    login(world["users"]["committee_a"])
    data = _entry_form(**{"lines-0-account": _account(book, "5103"), "lines-0-debit": "1,500",
                          "lines-1-account": _account(book, "1101"), "lines-1-credit": "1,200",
                          "lines-2-account": _account(book, "1102"), "lines-2-credit": "abc"})
    response = client.post(reverse("ledger:entry_create", args=[book.code]), data)
    body = response.content.decode()
    summary = body.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "บรรทัดที่ 3" in summary, summary
    totals = body.split('id="entry-totals"', 1)[1].split("</p>", 1)[0]
    assert "1,500.00" in totals and "1,200.00" in totals and "badge-warn" in totals
    assert not JournalEntry.objects.filter(book=book).exists()


def test_an_amount_without_an_account_or_a_future_date_is_named_not_dropped(world, client, login, book):
    """Before, a line with 100 and no account was left out, and the entry "needed two lines"; an entry dated next
    month was posted."""
    import datetime

    from django.utils import timezone

    login(world["users"]["committee_a"])
    url = reverse("ledger:entry_create", args=[book.code])
    data = _entry_form(**{"lines-0-debit": "100", "lines-1-account": _account(book, "4301"),
                          "lines-1-credit": "100", "lines-2-account": _account(book, "1101"), "lines-2-debit": "0"})
    body = client.post(url, data).content.decode()
    summary = body.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "บรรทัดที่ 1" in summary and "ยังไม่ได้เลือกบัญชี" in summary, summary
    later = timezone.localdate() + datetime.timedelta(days=40)
    future = _entry_form(**{"date": f"{later.day:02d}/{later.month:02d}/{later.year + 543}",
                            "lines-0-account": _account(book, "1101"), "lines-0-debit": "100",
                            "lines-1-account": _account(book, "4301"), "lines-1-credit": "100"})
    response = client.post(url, future)
    assert response.status_code == 200 and "อนาคต" in response.content.decode()
    assert not JournalEntry.objects.filter(book=book).exists()


def test_unbalanced_manual_entry_is_refused_with_a_message(world, client, login, book):
    login(world["users"]["committee_a"])
    data = _entry_form(**{"lines-0-account": _account(book, "1101"), "lines-0-debit": "100",
                          "lines-1-account": _account(book, "4301"), "lines-1-credit": "90"})
    response = client.post(reverse("ledger:entry_create", args=[book.code]), data)
    assert response.status_code == 200 and "does not balance" in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_live_totals(world, client, login, book):
    login(world["users"]["committee_a"])
    data = _entry_form(**{"lines-0-account": _account(book, "1101"), "lines-0-debit": "100",
                          "lines-1-account": _account(book, "4301"), "lines-1-credit": "90"})
    body = client.post(reverse("ledger:entry_totals", args=[book.code]), data).content.decode()
    assert "100.00" in body and "90.00" in body and "badge-warn" in body
    data["lines-1-credit"] = "100"
    assert "badge-ok" in client.post(reverse("ledger:entry_totals", args=[book.code]), data).content.decode()


def test_reverse_from_the_entry_page(world, client, login, book, post):
    """A reversal asks why (a click alone posts nothing), keeps the reason in the mirror entry's memo, and the
    entry page's audit trail reads in words."""
    post("2022-01-01", "สมทบ", [("1101", 500, 0), ("4101", 0, 500)])
    entry = post("2022-01-01", "ผิด", [("5103", 200, 0), ("1101", 0, 200)])
    login(world["users"]["committee_a"])
    url = reverse("ledger:entry_reverse", args=[book.code, entry.pk])
    refused = client.post(url, follow=True)
    assert "เหตุผลที่กลับรายการ" in refused.content.decode() and not JournalEntry.objects.filter(reverses=entry)
    response = client.post(url, {"reason": "บันทึกผิดบัญชี"})
    reversal = JournalEntry.objects.get(reverses=entry)
    assert response.status_code == 302 and "บันทึกผิดบัญชี" in reversal.memo
    assert Account.objects.get(book=book, code="5103").balance == 0
    page = client.get(reverse("ledger:entry_detail", args=[book.code, reversal.pk])).content.decode()
    trail = page.split("<h2>", 2)[-1]
    assert "ledger.entry_post" not in trail and "2022-01-01" not in trail and "1 ม.ค. 2565" in trail


def test_a_posted_reverse_form_does_not_undo_a_year_end_closing(world, client, login, book, post, system_user):
    """The entry page shows a closing no reverse button; a form posted anyway (an old page, a crafted request) is
    refused by the service with its message, and the closed year keeps its closing."""
    post("2022-01-10", "สมทบ", [("1101", 100, 0), ("4101", 0, 100)])
    closing = services.period_close(actor=system_user, book=book, fiscal_year=2565)
    login(world["users"]["committee_a"])
    page = client.get(reverse("ledger:entry_detail", args=[book.code, closing.pk])).content.decode()
    assert reverse("ledger:entry_reverse", args=[book.code, closing.pk]) not in page
    response = client.post(reverse("ledger:entry_reverse", args=[book.code, closing.pk]), {"reason": "กดผิดปุ่มเก่า"},
                           follow=True)
    assert "a year-end closing is undone by reopening the year" in response.content.decode()
    assert not JournalEntry.objects.filter(reverses=closing).exists()


def test_auditor_cannot_reverse(world, client, login, book, post):
    entry = post("2022-01-01", "x", [("5103", 200, 0), ("1101", 0, 200)])
    login(world["users"]["auditor"])
    assert client.post(reverse("ledger:entry_reverse", args=[book.code, entry.pk])).status_code == 404


def test_close_a_year_from_the_page(world, client, login, book, post):
    """An ended year closes once the treasurer ticks that its books were checked; the running year is not
    offered (and the service refuses it: money still moves until its last day is over); a committee sees no
    reopen form it could not use."""
    from django.utils import timezone

    from chumchon.core.thai.fiscal import fiscal_year_of

    post("2022-01-01", "สมทบ", [("1101", 100, 0), ("4101", 0, 100)])
    login(world["users"]["committee_a"])
    url = reverse("ledger:periods", args=[book.code])
    unticked = client.post(url, {"action": "close", "fiscal_year": "2565"}, follow=True)
    assert "ทำเครื่องหมาย" in unticked.content.decode()
    assert not Period.objects.filter(book=book, fiscal_year=2565, status="closed").exists()
    response = client.post(url, {"action": "close", "fiscal_year": "2565", "confirm": "1"})
    assert response.status_code == 302
    assert Period.objects.filter(book=book, fiscal_year=2565, status="closed").count() == 12
    running = fiscal_year_of(timezone.localdate()).be_year
    refused = client.post(url, {"action": "close", "fiscal_year": str(running), "confirm": "1"}, follow=True)
    assert "ยังไม่สิ้นสุด" in refused.content.decode()
    assert not Period.objects.filter(book=book, fiscal_year=running, status="closed").exists()
    page = client.get(url).content.decode()
    assert "2565" in page and 'value="reopen"' not in page
    closing = JournalEntry.objects.get(book=book, is_closing=True)  # the closed year leads to its closing entry
    assert f'href="{reverse("ledger:entry_detail", args=[book.code, closing.pk])}"' in page and closing.label in page
    assert f'name="fiscal_year" value="{running}"' not in page  # the running year: no close button
    # A committee cannot reopen: only national administrators.
    client.post(reverse("ledger:periods", args=[book.code]),
                {"action": "reopen", "fiscal_year": "2565", "reason": "แก้ไขตัวเลข"})
    assert Period.objects.filter(book=book, fiscal_year=2565, status="closed").count() == 12


def test_the_journal_exports_its_lines_with_its_filters(world, client, login, book, post):
    """The journal had no export: an auditor gets a line a row, entry number to who posted it, filtered as shown."""
    import csv
    import io

    post("2022-01-05", "สมทบสมาชิก", [("1101", 100, 0), ("4101", 0, 100)])
    post("2022-02-05", "ค่าเอกสาร", [("5301", 30, 0), ("1101", 0, 30)])
    login(world["users"]["auditor"])
    url = reverse("ledger:journal", args=[book.code])
    assert "format" in client.get(url).content.decode()  # the export buttons
    response = client.get(url, {"format": "csv", "q": "สมทบ"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    body = [r for r in rows if r and r[0].startswith("JV")]
    assert [(r[0], r[4]) for r in body] == [("JV2565-00001", "1101"), ("JV2565-00001", "4101")]
    assert client.get(url, {"format": "xlsx"}).status_code == 200

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            b"".join(client.get(url, {"format": "csv"}).streaming_content)
        return len(ctx.captured_queries)

    before = queries()
    for day in range(10, 20):
        post(f"2022-03-{day}", "สมทบ", [("1101", 10, 0), ("4101", 0, 10)])
    assert queries() == before  # the file's queries do not grow with its lines
