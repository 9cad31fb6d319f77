import datetime

import pytest

from chumchon.ledger import services


@pytest.fixture
def book(world, system_user):
    """Fund A's book, opened from the welfare-fund chart."""
    return services.book_create(actor=system_user, code="A-001", name_th="สมุดบัญชีกองทุน A",
                                organisation=world["fund_a"].organisation)


@pytest.fixture
def other_book(world, system_user):
    return services.book_create(actor=system_user, code="B-001", name_th="สมุดบัญชีกองทุน B",
                                organisation=world["fund_b"].organisation)


@pytest.fixture
def post(book, system_user):
    """post("2565-..", memo, [("1101", 100, 0), ("4101", 0, 100)]) with an automatic key."""
    counter = iter(range(1, 10**9))

    def do(date, memo, lines, key=None, target=None):
        return services.entry_post(
            actor=system_user, book=target or book, date=date if isinstance(date, datetime.date)
            else datetime.date.fromisoformat(date), memo=memo,
            lines=[services.LineSpec(code, debit=d, credit=c) for code, d, c in lines],
            idempotency_key=key or f"test-{next(counter)}",
        )

    return do
