"""Contributions: spans of days, receipts per fiscal year, collection sheets, lapses — and the books agree."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from chumchon.ledger.models import Account
from chumchon.welfare import services
from chumchon.welfare.models import Contribution, Membership

from .conftest import plan_and_index, receipt

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_month_covers_thirty_days_from_the_first_unpaid_day(members, system_user):
    m = members[0]
    c = services.contribution_receive(actor=system_user, membership=m, amount=30, date=D(2022, 1, 5),
                                      idempotency_key="r1")
    assert (c.covers_from, c.covers_to, c.days) == (D(2020, 1, 1), D(2020, 1, 30), 30)
    assert c.receipt_number == "RC2565-00001"
    c2 = services.contribution_receive(actor=system_user, membership=m, amount=365, date=D(2022, 1, 5),
                                       idempotency_key="r2")
    assert c2.covers_from == D(2020, 1, 31) and c2.receipt_number == "RC2565-00002"
    m.refresh_from_db()
    assert m.paid_through == D(2021, 1, 29)
    # Receipts restart at 1 in October (fiscal year 2566).
    c3 = services.contribution_receive(actor=system_user, membership=m, amount=30, date=D(2022, 10, 1),
                                       idempotency_key="r3")
    assert c3.receipt_number == "RC2566-00001"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage setting; SQLite has none")
def test_member_pages_leave_room_for_the_paid_through_date_to_change_in_place():
    """Every payment moves a member's paid-through date; with room left in the page PostgreSQL updates the row
    in place without touching its indexes (welfare 0013)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'welfare_membership'")
        assert "fillfactor=80" in (cursor.fetchone()[0] or [])


def test_what_a_member_owes(members):
    m = members[0]
    assert services.owed(m, D(2020, 1, 31)) == Decimal("31.00")


def test_not_whole_days_is_refused(members, system_user):
    with pytest.raises(ValidationError) as exc:
        services.contribution_receive(actor=system_user, membership=members[0], amount="30.50", date=D(2022, 1, 5),
                                      idempotency_key="r1")
    assert "whole number of days" in exc.value.message_dict["amount"][0]


def test_fund_taking_only_monthly_payments(members, system_user, fund):
    fund.allowed_frequencies = "monthly,yearly"
    fund.save()
    with pytest.raises(ValidationError) as exc:
        services.contribution_receive(actor=system_user, membership=members[0], amount=7, date=D(2022, 1, 5),
                                      idempotency_key="r1")
    assert exc.value.message_dict["amount"][0] == (
        "กองทุนรับเงินสมทบเป็นงวดละ 30 วัน (30.00 บาท) หรือ 365 วัน (365.00 บาท) หรือหลายงวดรวมกัน "
        "(this fund takes payments of 30 days (30.00) or 365 days (365.00), or several of them together)")


@pytest.mark.parametrize(("frequencies", "amount", "taken"), [
    ("monthly,yearly", 365, True), ("monthly,yearly", 395, True), ("monthly,yearly", 60, True),
    ("monthly,yearly", 45, False), ("weekly,yearly", 365, True), ("weekly,yearly", 372, True),
    ("weekly,yearly", 366, False), ("monthly", 365, False), ("yearly", 730, True), ("monthly,yearly", 36530, True),
    ("monthly,yearly", 36531, False)])
def test_a_payment_is_made_of_the_periods_the_fund_takes(members, system_user, fund, frequencies, amount, taken):
    """A fund taking monthly and yearly payments takes a year (365 days), a year and a month (395), two months
    (60), not 45 days; weekly and yearly: a year and a week (372), not 366."""
    fund.allowed_frequencies = frequencies
    fund.save()
    try:
        services.contribution_receive(actor=system_user, membership=members[0], amount=amount, date=D(2022, 1, 5),
                                      idempotency_key="p")
    except ValidationError as exc:
        assert not taken and "several of them together" in exc.message_dict["amount"][0]
    else:
        assert taken and Contribution.objects.get(idempotency_key="p").days == amount


@pytest.mark.parametrize("status", ["lapsed", "deceased", "resigned"])
def test_no_payment_for_an_inactive_member(members, system_user, status):
    Membership.objects.filter(pk=members[0].pk).update(status=status)
    with pytest.raises(ValidationError) as exc:
        services.contribution_receive(actor=system_user, membership=members[0], amount=30, date=D(2022, 1, 5),
                                      idempotency_key="r1")
    assert exc.value.error_dict["membership"][0].code == "not_active"
    assert not Contribution.objects.exists()


def test_same_key_never_posts_twice(members, system_user, fund):
    for _ in range(2):
        services.contribution_receive(actor=system_user, membership=members[0], amount=30, date=D(2022, 1, 5),
                                      idempotency_key="r1")
    assert Contribution.objects.count() == 1
    assert Account.objects.get(book=fund.organisation.book, code="4101").balance == 30


def test_collection_sheet_posts_a_village_in_one_entry(members, system_user, fund):
    sheet = services.collection_sheet_post(
        actor=system_user, fund=fund, date=D(2022, 2, 5), village_number=3, idempotency_key="sheet-1",
        payments=[services.SheetPayment(members[0], Decimal(30)), services.SheetPayment(members[1], Decimal(60)),
                  services.SheetPayment(members[2], Decimal(0))])
    assert sheet.contributions.count() == 2
    assert sorted(sheet.contributions.values_list("receipt_number", flat=True)) == ["RC2565-00001", "RC2565-00002"]
    assert sheet.entry.lines.count() == 2
    book = fund.organisation.book
    assert Account.objects.get(book=book, code="1101").balance == 90


def test_receipts_are_found_by_sheet_through_an_index_that_leaves_out_receipts_without_one(
        members, system_user, fund):
    """Imported history has no sheet: the sheet index is partial, so those millions of rows never enter it, and a
    sheet's receipts are still found through it."""
    sheet = services.collection_sheet_post(
        actor=system_user, fund=fund, date=D(2022, 2, 5), village_number=3, idempotency_key="sheet-1",
        payments=[services.SheetPayment(members[0], Decimal(30))])
    services.contribution_receive(actor=system_user, membership=members[1], amount=30, date=D(2022, 2, 6),
                                  idempotency_key="alone")
    plan, definition = plan_and_index(sheet.contributions.values("id"), "welfare_contribution_sheet")
    assert "welfare_contribution_sheet" in plan, plan
    assert "NOT NULL" in definition.upper()
    assert [c.receipt_number for c in sheet.contributions.all()] == ["RC2565-00001"]


def test_a_key_is_found_through_an_index_that_leaves_out_receipts_without_one(members, system_user, fund):
    """Imported receipts have no key (fund + receipt number is theirs): the key's unique index is partial, and the
    counter's lookup of a retried payment (as contribution_receive makes it) still goes through it."""
    services.contribution_receive(actor=system_user, membership=members[0], amount=30, date=D(2022, 2, 6),
                                  idempotency_key="counter-1")
    plan, definition = plan_and_index(Contribution.objects.filter(fund=fund, idempotency_key="counter-1"),
                                       "welfare_contribution_key_unique")
    assert "welfare_contribution_key_unique" in plan, plan
    assert "IS NOT NULL" in definition.upper() and "UNIQUE" in definition.upper()


def test_receipts_without_a_key_are_many_and_a_key_is_once_a_fund(two):
    """The database keeps a key unique in its fund and lets any number of receipts have none."""
    a, member, entry = two["a"], two["member_a"], two["entry_a"]
    without = [receipt(a, member, entry, f"IMP-{n}") for n in range(3)]
    for r in without:
        r.idempotency_key = None
    Contribution.objects.bulk_create(without)
    assert Contribution.objects.filter(fund=a, idempotency_key__isnull=True).count() == 3
    Contribution.objects.bulk_create([receipt(a, member, entry, "K-1")])
    twin = receipt(a, member, entry, "K-2")
    twin.idempotency_key = "K-1"
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.bulk_create([twin])
    elsewhere = receipt(two["b"], two["member_b"], two["entry_b"], "K-1")  # the same key in another fund
    Contribution.objects.bulk_create([elsewhere])


def test_the_key_migration_is_not_unapplied_over_receipts_without_a_key(two):
    """Unapplying welfare 0012 would need every receipt to have a key again; receipts are never rewritten, so it
    stops first with a message saying why, instead of failing on NOT NULL halfway."""
    from django.apps import apps

    migration = importlib.import_module("chumchon.welfare.migrations.0012_receipt_key_partial")
    migration._no_receipt_without_key(apps, None)  # every receipt has its key: nothing to say
    keyless = receipt(two["a"], two["member_a"], two["entry_a"], "IMP-1")
    keyless.idempotency_key = None
    Contribution.objects.bulk_create([keyless])
    with pytest.raises(RuntimeError, match="1 receipts have no idempotency key"):
        migration._no_receipt_without_key(apps, None)


def test_one_bad_row_refuses_the_whole_sheet(members, system_user, fund):
    Membership.objects.filter(pk=members[1].pk).update(status="deceased")
    with pytest.raises(ValidationError) as exc:
        services.collection_sheet_post(
            actor=system_user, fund=fund, date=D(2022, 2, 5), idempotency_key="sheet-1",
            payments=[services.SheetPayment(members[0], Decimal(30)), services.SheetPayment(members[1], Decimal(30))])
    assert members[1].member_number in exc.value.message_dict["payments"][0]
    assert not Contribution.objects.exists()
    assert Account.objects.get(book=fund.organisation.book, code="1101").balance == 0


def test_lapse_after_notice(members, system_user, fund):
    on = D(2020, 5, 1)  # 121 days unpaid, limit 90
    assert services.memberships_lapse(actor=system_user, fund=fund, history=True, on=on) == {
        "noticed": 3, "lapsed": 0}
    assert services.memberships_lapse(actor=system_user, fund=fund, history=True,
                                      on=on + datetime.timedelta(days=30)) == {"noticed": 0, "lapsed": 3}
    assert Membership.objects.filter(fund=fund, status="lapsed").count() == 3


def test_grant_is_posted_under_its_source(fund, system_user):
    grant = services.grant_receive(actor=system_user, fund=fund, source="government", amount="1095.00",
                                   date=D(2022, 1, 20), members_covered=3, idempotency_key="g1", reference="CODI-65")
    book = fund.organisation.book
    assert grant.fiscal_year == 2565
    assert Account.objects.get(book=book, code="4201").balance == Decimal("1095.00")
    assert Account.objects.get(book=book, code="1102").balance == Decimal("1095.00")


def test_money_is_received_once_the_member_has_joined_and_not_in_the_future(fund, members, system_user):
    """The members joined on 1 January 2020 (B.E. 2563). A receipt dated the day before, or tomorrow, is refused
    naming the date, one receipt or a whole sheet; nothing is numbered or posted."""
    from django.utils import timezone

    for date, code in [(datetime.date(2019, 12, 31), "before_joining"),
                       (timezone.localdate() + datetime.timedelta(days=1), "future")]:
        with pytest.raises(ValidationError) as caught:
            services.contribution_receive(actor=system_user, membership=members[0], amount=365, date=date,
                                          idempotency_key=f"early-{code}")
        assert caught.value.error_dict["date"][0].code == code
        with pytest.raises(ValidationError) as sheet:
            services.collection_sheet_post(actor=system_user, fund=fund, date=date, idempotency_key=f"sheet-{code}",
                                           payments=[services.SheetPayment(m, Decimal(365)) for m in members])
        assert "สมัคร" in sheet.value.messages[0] or "อนาคต" in sheet.value.messages[0]
    assert not Contribution.objects.exists()
    assert services.contribution_receive(actor=system_user, membership=members[0], amount=365,
                                         date=datetime.date(2020, 1, 1), idempotency_key="on-the-day").receipt_number


def test_a_grant_matches_no_more_members_than_the_fund_had(fund, members, system_user):
    """Three members on 20 January 2022: a grant 'matching 240' is refused, naming both figures."""
    with pytest.raises(ValidationError) as caught:
        services.grant_receive(actor=system_user, fund=fund, source="government", amount=87600,
                               date=datetime.date(2022, 1, 20), members_covered=240, idempotency_key="g-240")
    message = caught.value.error_dict["members_covered"][0].message
    assert "240" in message and "(3 คน)" in message
    grant = services.grant_receive(actor=system_user, fund=fund, source="government", amount=1095,
                                   date=datetime.date(2022, 1, 20), members_covered=3, idempotency_key="g-3")
    assert grant.members_covered == 3
