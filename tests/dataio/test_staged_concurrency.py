"""A payment at the counter while an import writes (PostgreSQL, two connections, committed transactions).

Given a database of its own (the test database lives in a transaction that never commits, so a second connection
could not see it), a fund with four members and a checked contributions file staged for the set-based write; when
a treasurer's payment for member 0001 holds that member (as ``contribution_receive`` does: ``FOR UPDATE``) and
commits a second later, while the import's write starts in the meantime, then: the write waits for the payment
(it locks the batch's members first), sees that the member's paid-through date moved, reads the file again and
covers the days after the payment — no day of the member is paid twice, the paid-through date is the last day
covered, and every receipt of the file is written. Without the write's lock (tried: the test fails) the two
transactions wait on each other — the import holds the fund's cash account, the counter the member — and
PostgreSQL refuses the counter's payment as a deadlock; had the counter come second, the batch would have been
written from the paid-through date the check saw, its first receipt covering the counter's days again.
"""

import datetime
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
    from django.db import connection, transaction
    from chumchon.dataio import bench, services
    from chumchon.dataio.models import ImportJob
    from chumchon.welfare import bench as welfare_bench
    from chumchon.welfare.models import Contribution, Fund, Membership
    from chumchon.welfare.services.contributions import contribution_receive

    fiscal_year = bench._fiscal_year()
    subdistrict = welfare_bench._geography_ensure(lambda *a: None)
    admin = welfare_bench._administrator("lock")
    fund = bench._fund_open(admin, subdistrict, "lock", fiscal_year)
    folder = Path(tempfile.mkdtemp())
    bench._members_file(folder / "members.csv", 4, fiscal_year, random.Random(4))
    bench._import("memberships", folder / "members.csv", fund.pk)
    bench._contributions_file(folder / "history.csv", 40, 4, fiscal_year, random.Random(40))
    with (folder / "history.csv").open("rb") as handle:
        job = services.job_create(actor=None, kind="contributions", file=handle, filename="history.csv",
                                  fund=Fund.objects.get(pk=fund.pk), system=True)
    job = services.job_check(job, system=True)
    assert job.status == ImportJob.Status.CHECKED and job.rows_staged == 40, (job.status, job.message)
    job = services.job_confirm(actor=None, job=job)
    member = Membership.objects.get(fund_id=fund.pk, member_number="000001")
    locked, paid = threading.Event(), {}

    def counter():
        try:
            with transaction.atomic():
                Membership.objects.select_for_update().get(pk=member.pk)  # the treasurer opens the member
                locked.set()
                time.sleep(1.5)  # ... and types; the import's write starts meanwhile
                receipt = contribution_receive(actor=admin, membership=member, amount=Decimal(30),
                                               date=fiscal_year.start, idempotency_key="counter-during-import")
                paid["receipt"] = receipt.receipt_number
            paid["committed"] = time.monotonic()
        except Exception as exc:  # reported below, with what the import did
            paid["error"] = f"{type(exc).__name__}: {exc}"[:500]
        finally:
            connection.close()

    thread = threading.Thread(target=counter)
    thread.start()
    assert locked.wait(30)
    started = time.monotonic()
    job = services.job_write(ImportJob.objects.get(pk=job.pk), system=True)
    finished = time.monotonic()
    thread.join(30)
    member.refresh_from_db()
    spans = sorted((c.covers_from.isoformat(), c.covers_to.isoformat(), c.receipt_number)
                   for c in Contribution.objects.filter(membership=member))
    print(json.dumps({
        "status": job.status, "message": job.message, "written": job.rows_written, "staged": job.rows_staged,
        "counter": paid.get("receipt"), "counter_error": paid.get("error"),
        "write_waited": paid.get("committed", finished) <= finished,
        "write_s": finished - started, "joined": member.joined_on.isoformat(),
        "paid_through": member.paid_through.isoformat(), "spans": spans,
    }))
""")


def test_a_counter_payment_during_the_write_is_waited_for_and_never_paid_twice(postgres_scenario):
    result = postgres_scenario(SCENARIO)
    assert result["status"] == "done", result["message"]
    assert result["counter_error"] is None, result["counter_error"]
    assert result["written"] == 40 and result["counter"], result
    assert result["write_waited"], "the write finished before the counter's payment committed"
    spans = result["spans"]
    assert any(receipt == result["counter"] for _, _, receipt in spans)
    # The member's receipts, in the order of the days they cover, follow each other without a gap or a day
    # paid twice, from the day the member joined to the paid-through date.
    day = datetime.date.fromisoformat
    assert spans[0][0] == result["joined"]
    for (_, before_to, _), (after_from, _, _) in zip(spans, spans[1:], strict=False):
        assert day(after_from) == day(before_to) + datetime.timedelta(days=1), f"a day paid twice or skipped: {spans}"
    assert spans[-1][1] == result["paid_through"]
