import datetime

import pytest

from chumchon.ledger import services
from chumchon.ledger.models import Book


@pytest.fixture
def book(world):
    """Fund A's book (code A-001), opened from the welfare-fund chart when the fund was created."""
    return Book.objects.get(organisation=world["fund_a"].organisation)


@pytest.fixture
def other_book(world):
    """Fund B's book (code B-001), in another province."""
    return Book.objects.get(organisation=world["fund_b"].organisation)


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
