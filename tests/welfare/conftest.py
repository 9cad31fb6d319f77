import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from chumchon.access.roles import Role, ScopeKind
from chumchon.ledger import services as ledger
from chumchon.welfare import services
from chumchon.welfare.models import Contribution

D = datetime.date


@pytest.fixture
def fund(world, system_user):
    """Fund A with the typical rules in force from 1 Jan 2020 and its three members joined 1 Jan 2020."""
    fund = world["fund_a"]
    services.typical_rules_set(actor=system_user, fund=fund, effective_from=datetime.date(2020, 1, 1))
    return fund


@pytest.fixture
def members(world, fund):
    return [p.memberships.get() for p in world["a_people"]]


@pytest.fixture
def treasurer_and_chair(world, make_user, fund):
    """Fund A's treasurer (records claims) and its chair (decides them: never the same person)."""
    chair = make_user("chair_a", Role.FUND_CHAIR, ScopeKind.ORGANISATION, fund.organisation)
    return world["users"]["committee_a"], chair


@pytest.fixture
def funded(fund, system_user, members):
    """Each of the three members paid 1,095 baht on 3 Jan 2022: 3,285 baht of members' money, in cash."""
    for i, m in enumerate(members):
        services.contribution_receive(actor=system_user, membership=m, amount=1095, date=datetime.date(2022, 1, 3),
                                      idempotency_key=f"c{i}")
    return fund


def refused(write=None, *, sql: str = "", params=None) -> str:
    """The database's message refusing ``write()`` (or the raw ``sql``), in a transaction of its own so that the
    test goes on; fails the test when the database lets it through."""
    with pytest.raises(DatabaseError) as exc, transaction.atomic():
        if write is not None:
            write()
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
    return str(exc.value)


@pytest.fixture
def two(world, system_user):
    """For the rules of money documents and their fund: fund A and fund B, a member of each, and a 30-baht
    receipt entry in each fund's book."""
    def entry(fund, key):
        return ledger.receipt_post(actor=system_user, book=fund.organisation.book, date=D(2022, 1, 5), amount=30,
                                   income_account="4101", memo="test", idempotency_key=key)

    a, b = world["fund_a"], world["fund_b"]
    return {"a": a, "b": b, "member_a": world["a_people"][0].memberships.get(),
            "member_b": world["b_people"][0].memberships.get(), "entry_a": entry(a, "ea"), "entry_b": entry(b, "eb")}


def receipt(fund, member, entry, number):
    """An unsaved 30-baht receipt of ``fund`` (for bulk_create, which skips the services)."""
    return Contribution(fund=fund, membership=member, receipt_number=number, fiscal_year=2565, date=D(2022, 1, 5),
                        amount=Decimal(30), days=30, covers_from=D(2022, 1, 1), covers_to=D(2022, 1, 30),
                        entry=entry, idempotency_key=number)


def plan_and_index(queryset, index: str) -> tuple[str, str | None]:
    """The database's plan for ``queryset`` and the definition of ``index``, on either backend."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: make the planner show its index
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(r[0] for r in cursor.fetchall())
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [index])
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(r[-1]) for r in cursor.fetchall())
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [index])
        found = cursor.fetchone()  # none on SQLite for a unique key declared in the table (its autoindex)
        return plan, found[0] if found else None
