"""Two benefit payments of one fund at once never pay out more than it has (PostgreSQL, two connections).

Given a database of its own (the test database lives in a transaction that never commits, so a second connection
could not see it), a fund whose members' money is 1,000 baht (two members paid 500 each) and two approved claims
of 600 baht, one for each member; when two committee pages pay them at the same moment (each payment slowed
between counting the money and posting, so both count before either commits), then one is paid and the other is
refused for want of money: the fund's cash and its members' money stay at 400, never below zero. Without the
book's lock (tried: the test fails) both count 1,000, both are paid, and the cash ends at −200.
"""

import textwrap

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                       reason="two connections at once are tested on PostgreSQL"),
]

SCENARIO = textwrap.dedent("""
    import datetime, json, random, tempfile, threading, time
    from decimal import Decimal
    from pathlib import Path
    import django
    django.setup()
    from django.core.exceptions import ValidationError
    from django.db import connection
    from chumchon.dataio import bench
    from chumchon.ledger import services as ledger
    from chumchon.ledger.models import Account
    from chumchon.welfare import bench as welfare_bench, services
    from chumchon.welfare.models import BenefitKind, Fund, Membership
    from chumchon.welfare.selectors import money_by_source

    fiscal_year = bench._fiscal_year()
    subdistrict = welfare_bench._geography_ensure(lambda *a: None)
    submitter, decider = welfare_bench._administrator("pay"), welfare_bench._administrator("pay2")
    fund = bench._fund_open(submitter, subdistrict, "pay", fiscal_year)
    folder = Path(tempfile.mkdtemp())
    bench._members_file(folder / "members.csv", 2, fiscal_year, random.Random(2))
    bench._import("memberships", folder / "members.csv", fund.pk)
    fund = Fund.objects.select_related("organisation__book").get(pk=fund.pk)
    day = fiscal_year.start
    kind = BenefitKind.objects.get(code="disaster")
    services.benefit_rule_set(actor=submitter, fund=fund, kind=kind, effective_from=datetime.date(2000, 1, 1),
                              amount=Decimal(600), waiting_days=0, arrears_tolerance_days=100000)
    claims = []
    for n, member in enumerate(Membership.objects.filter(fund=fund).order_by("member_number")):
        services.contribution_receive(actor=submitter, membership=member, amount=Decimal(500), date=day,
                                      idempotency_key=f"in-{n}")
        claim = services.claim_submit(actor=submitter, membership=member, kind=kind, event_date=day,
                                      idempotency_key=f"claim-{n}")
        claims.append(services.claim_decide(actor=decider, claim=claim, approve=True))

    posting = ledger.entries_post
    def slow_post(**kwargs):  # between counting the money and posting: the other page counts meanwhile
        time.sleep(1.0)
        return posting(**kwargs)
    ledger.entries_post = slow_post

    start, outcome = threading.Barrier(2), {}
    def pay(claim):
        try:
            start.wait(10)
            services.claim_pay(actor=decider, claim=claim, date=day + datetime.timedelta(days=1))
            outcome[claim.pk] = "paid"
        except ValidationError as exc:
            outcome[claim.pk] = "refused: " + " ".join(exc.messages)[:300]
        except Exception as exc:
            outcome[claim.pk] = f"error: {type(exc).__name__}: {exc}"[:300]
        finally:
            connection.close()
    threads = [threading.Thread(target=pay, args=(claim,)) for claim in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    cash = Account.objects.get(book=fund.organisation.book, code="1101").balance
    print(json.dumps({"outcomes": sorted(outcome.values()), "cash": str(cash),
                      "members_money": str(money_by_source(fund)["members"])}))
""")


def test_two_payments_at_once_never_pay_out_more_than_the_fund_has(postgres_scenario):
    result = postgres_scenario(SCENARIO)
    paid = [o for o in result["outcomes"] if o == "paid"]
    refused = [o for o in result["outcomes"] if o.startswith("refused")]
    assert (len(paid), len(refused)) == (1, 1), result
    assert result["cash"] == "400.00" and result["members_money"] == "400.00", result
