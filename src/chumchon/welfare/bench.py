"""The collection-sheet benchmark behind ``chumchon bench collection``: collection day on the configured database.

It opens a fund of its own (code ``BENCH-<UTC time>-…``, never an existing fund) with ``members`` members in
village (Moo) 1, enrolled through the services, and measures:

- posting one collection sheet of all of them (30 baht each, a month at one baht a day) through
  ``services.collection_sheet_post`` against the statements that amounts to issued raw with ``cursor.execute`` in
  one transaction — receipt numbers, the journal entry (draft, two lines, posted), its audit row, the sheet, the
  contributions' multi-row INSERT and one ``paid_through`` UPDATE per distinct date, the sheet's audit row —
  without the service's reads and checks. Each way runs ``REPEATS`` times, interleaved, a fresh month each time;
  the medians give ``post_ratio`` (raw time / service time, goal ≥ 0.3);
- the queries of the collection-sheet page (``welfare:collection_sheet``) for a village of 30 and one of 300
  members (``page_queries_30``, ``page_queries_300``; goal: the same number). ``null`` when the page is missing.

Posted ledger rows are append-only, so the bench fund stays: run it on a throwaway database.
"""

import datetime
import json
import statistics
import time
import uuid
from collections.abc import Callable
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from chumchon.access import services as access_services
from chumchon.access.models import User
from chumchon.access.roles import Role, ScopeKind
from chumchon.core.thai.dates import format_date
from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.geo import services as geo_services
from chumchon.geo.models import Province, Subdistrict
from chumchon.people import services as people_services
from chumchon.welfare import services
from chumchon.welfare.models import Fund, Membership

REPEATS = 5  # sheets posted each way (interleaved, a fresh month each); the median is kept
AMOUNT = Decimal("30.00")  # each member's payment on every sheet: 30 days at the default one baht a day
DAYS = 30
JOINED = datetime.date(2023, 10, 1)
FIRST_SHEET = datetime.date(2023, 10, 2)  # sheets fall on the 2nd of successive months, all in fiscal year 2567
POSTING_VILLAGE = 1
PAGE_SIZES = (30, 300)
RATIO_GOAL = 0.3

Out = Callable[[str], object]


def _writer(stdout) -> Out:
    if stdout is None:
        return lambda text: None
    return lambda text: stdout.write(f"{text}\n")


def _sheet_date(n: int) -> datetime.date:
    month = FIRST_SHEET.month - 1 + n
    return FIRST_SHEET.replace(year=FIRST_SHEET.year + month // 12, month=month % 12 + 1)


# --- the bench fund ------------------------------------------------------------------------------------------------

def _geography_ensure(out: Out) -> Subdistrict:
    if not Province.objects.exists():
        out("  loading the geography (empty database)")
        geo_services.geography_load()
    return Subdistrict.objects.order_by("code").first()


def _administrator(stamp: str) -> User:
    """A national administrator for the bench, with no password (it can only be used from here)."""
    user = User.objects.create_user(username=f"bench-{stamp}-{uuid.uuid4().hex[:6]}", password=None)
    access_services.role_assign(actor=None, user=user, role=Role.ADMINISTRATOR, scope_kind=ScopeKind.NATIONAL)
    return user


def _fund_open(admin: User, subdistrict: Subdistrict, stamp: str) -> Fund:
    code = f"BENCH-{stamp}-{uuid.uuid4().hex[:4]}"[:32]
    return services.fund_create(actor=admin, code=code, name_th=f"กองทุนทดสอบความเร็ว {code}", subdistrict=subdistrict,
                                founded_on=JOINED)


def _village_fill(admin: User, fund: Fund, village: int, count: int, first_number: int) -> list[Membership]:
    """``count`` people of village ``village`` registered and enrolled through the services."""
    subdistrict = fund.organisation.subdistrict
    made = []
    with transaction.atomic():
        for i in range(count):
            number = first_number + i
            person = people_services.person_create(
                actor=admin, subdistrict=subdistrict, registered_by=fund.organisation, first_name=f"สมาชิก{number}",
                last_name=f"หมู่{village}", village_number=village)
            made.append(services.membership_enrol(actor=admin, fund=fund, person=person,
                                                  member_number=f"{number:05d}", joined_on=JOINED))
    return made


# --- posting: through the service and raw --------------------------------------------------------------------------

def _post_service(admin: User, fund: Fund, members: list[Membership], date: datetime.date, key: str) -> None:
    services.collection_sheet_post(actor=admin, fund=fund, date=date, village_number=POSTING_VILLAGE,
                                   idempotency_key=key,
                                   payments=[services.SheetPayment(m, AMOUNT) for m in members])


_AUDIT_SQL = {  # the JSON column takes text on SQLite and needs a cast on PostgreSQL
    "postgresql": "INSERT INTO core_auditlog (at, actor_id, action, object_type, object_id, summary, data,"
                  " organisation_id, subdistrict_id) VALUES (%s, %s, %s, %s, %s, %s, CAST(%s AS jsonb), %s, NULL)"
                  " RETURNING id",
    "sqlite": "INSERT INTO core_auditlog (at, actor_id, action, object_type, object_id, summary, data,"
              " organisation_id, subdistrict_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, NULL) RETURNING id",
}


def _post_raw(admin: User, fund: Fund, accounts: dict[str, int], members: list[Membership],
              paid_through: dict[int, datetime.date | None], date: datetime.date, key: str) -> None:
    """The rows ``collection_sheet_post`` writes, statement for statement, in one transaction."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    day = ops.adapt_datefield_value(date)
    amount = ops.adapt_decimalfield_value(AMOUNT)
    total = ops.adapt_decimalfield_value(AMOUNT * len(members))
    zero = ops.adapt_decimalfield_value(Decimal("0.00"))
    fiscal_year = fiscal_year_of(date).be_year
    book_id, org_id = fund.organisation.book.pk, fund.organisation_id
    audit = _AUDIT_SQL[connection.vendor]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE welfare_receiptsequence SET last_number = last_number + %s"
                       " WHERE fund_id = %s AND kind = 'RC' AND fiscal_year = %s RETURNING last_number",
                       [len(members), fund.pk, fiscal_year])
        last = cursor.fetchone()[0]
        receipts = [f"RC{fiscal_year}-{n:05d}" for n in range(last - len(members) + 1, last + 1)]
        memo = f"ใบเก็บเงินสมทบ หมู่ {POSTING_VILLAGE} ({len(members)} ราย)"
        cursor.execute(
            "INSERT INTO ledger_journalentry (book_id, date, memo, reference, idempotency_key, payload_hash, status,"
            " reverses_id, is_closing, created_by_id, created) VALUES (%s, %s, %s, %s, %s, %s, 'draft', NULL, %s,"
            " %s, %s) RETURNING id",
            [book_id, day, memo, f"{receipts[0]}–{receipts[-1]}", f"sheet-{key}", "0" * 64, False, admin.pk, now])
        entry_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO ledger_line (entry_id, book_id, account_id, date, debit, credit, memo) VALUES"
            " (%s, %s, %s, %s, %s, %s, ''), (%s, %s, %s, %s, %s, %s, '') RETURNING id",
            [entry_id, book_id, accounts["1101"], day, total, zero, entry_id, book_id, accounts["4101"], day, zero,
             total])
        cursor.fetchall()
        cursor.execute("UPDATE ledger_journalentry SET status = 'posted' WHERE id = %s", [entry_id])
        cursor.execute(audit, [now, admin.pk, "ledger.entry_post", "ledger.journalentry", str(entry_id),
                               f"{fund.code} {date.isoformat()} {memo}", "{}", org_id])
        cursor.fetchone()
        cursor.execute(
            "INSERT INTO welfare_collectionsheet (fund_id, village_number, date, status, entry_id, idempotency_key,"
            " created_by_id, created) VALUES (%s, %s, %s, 'posted', %s, %s, %s, %s) RETURNING id",
            [fund.pk, POSTING_VILLAGE, day, entry_id, key, admin.pk, now])
        sheet_id = cursor.fetchone()[0]
        # The service writes the sheet's contributions in one multi-row INSERT and moves paid_through with one
        # UPDATE per distinct date: the raw path issues the same statements.
        rows, by_end = [], {}
        for m, receipt in zip(members, receipts, strict=True):
            start = (paid_through[m.pk] or m.joined_on - datetime.timedelta(days=1)) + datetime.timedelta(days=1)
            end = start + datetime.timedelta(days=DAYS - 1)
            rows.append([fund.pk, m.pk, receipt, fiscal_year, day, amount, DAYS, ops.adapt_datefield_value(start),
                         ops.adapt_datefield_value(end), sheet_id, entry_id, f"{key}-{m.pk}", admin.pk, now])
            by_end.setdefault(ops.adapt_datefield_value(end), []).append(m.pk)
        placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
        insert = ("INSERT INTO welfare_contribution (fund_id, membership_id, receipt_number, fiscal_year, date,"  # noqa: S608
                  " amount, days, covers_from, covers_to, sheet_id, entry_id, idempotency_key, recorded_by_id,"
                  f" created) VALUES {placeholders}")  # only %s placeholders are joined in
        cursor.execute(insert, [value for row in rows for value in row])
        for end, ids in by_end.items():
            update = ("UPDATE welfare_membership SET paid_through = %s, lapse_notice_on = NULL"  # noqa: S608
                      f" WHERE id IN ({', '.join(['%s'] * len(ids))})")
            cursor.execute(update, [end, *ids])
        cursor.execute(audit, [now, admin.pk, "welfare.collection_sheet_post", "welfare.collectionsheet",
                               str(sheet_id), f"{len(members)} payments, {AMOUNT * len(members)}", "{}", org_id])
        cursor.fetchone()


def measure_posting(admin: User, fund: Fund, members: list[Membership], out: Out) -> dict:
    """Seconds for one sheet of all ``members``, through the service and raw, interleaved, medians."""
    accounts = dict(fund.organisation.book.accounts.filter(code__in=["1101", "4101"]).values_list("code", "pk"))
    ids = [m.pk for m in members]
    service_s, raw_s = [], []
    for r in range(REPEATS):
        start = time.perf_counter()
        _post_service(admin, fund, members, _sheet_date(2 * r), f"bench-svc-{r}")
        service_s.append(time.perf_counter() - start)
        paid_through = dict(Membership.objects.filter(pk__in=ids).values_list("pk", "paid_through"))
        start = time.perf_counter()
        _post_raw(admin, fund, accounts, members, paid_through, _sheet_date(2 * r + 1), f"bench-raw-{r}")
        raw_s.append(time.perf_counter() - start)
        out(f"  round {r + 1}: service {service_s[-1] * 1000:,.1f} ms, raw statements {raw_s[-1] * 1000:,.1f} ms")
    service, raw = statistics.median(service_s), statistics.median(raw_s)
    out(f"  median for {len(members)} members: service {service * 1000:,.1f} ms "
        f"({len(members) / service:,.0f} payments/s), raw {raw * 1000:,.1f} ms ({len(members) / raw:,.0f} payments/s): "
        f"ratio {raw / service:.2f}")
    return {"post_service_ms": service * 1000, "post_raw_ms": raw * 1000, "post_ratio": raw / service,
            "post_service_per_s": len(members) / service, "post_raw_per_s": len(members) / raw}


# --- the collection-sheet page -------------------------------------------------------------------------------------

def _client_for(admin: User) -> Client:
    """A test client logged in as the administrator with the second factor verified (a static device)."""
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.create(user=admin, name="bench", confirmed=True)
    client = Client()
    client.force_login(admin)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def measure_page(admin: User, fund: Fund, villages: dict[int, int], out: Out) -> dict:
    """Queries of one GET of the collection-sheet page per village size; ``None`` when the page does not exist."""
    figures: dict = {f"page_queries_{size}": None for size in villages}
    try:
        url = reverse("welfare:collection_sheet", kwargs={"code": fund.code})
    except NoReverseMatch:
        out("  the collection-sheet page (welfare:collection_sheet) does not exist: page queries not measured")
        return figures
    client = _client_for(admin)
    date = format_date(timezone.localdate(), "numeric", "th")
    with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
        client.get(url, {"village": POSTING_VILLAGE, "date": date})  # warm the caches, as a second visit would
        for size, village in sorted(villages.items()):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"village": village, "date": date})
            rows = response.content.decode().count('class="sheet-amount"')
            if response.status_code != 200 or rows != size:
                out(f"  Moo {village}: the page answered {response.status_code} with {rows} rows, not {size}: "
                    "not counted")
                continue
            figures[f"page_queries_{size}"] = len(queries)
            out(f"  Moo {village}, {size} members: {len(queries)} queries")
    return figures


# --- the whole run -------------------------------------------------------------------------------------------------

def run(members: int = 300, as_json: bool = False, stdout=None) -> dict:
    """Build the bench fund, measure, print human-readable lines (and the JSON object last with ``as_json``) and
    return the figures."""
    out = _writer(stdout)
    out(f"Collection-sheet benchmark on {connection.vendor}: one sheet of {members:,} members, {REPEATS} rounds")
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    subdistrict = _geography_ensure(out)
    admin = _administrator(stamp)
    fund = _fund_open(admin, subdistrict, stamp)
    started = time.perf_counter()
    posting = _village_fill(admin, fund, POSTING_VILLAGE, members, 1)
    villages = {}  # page size → village number
    next_number, next_village = members + 1, POSTING_VILLAGE + 1
    for size in PAGE_SIZES:
        if size == members:
            villages[size] = POSTING_VILLAGE
            continue
        _village_fill(admin, fund, next_village, size, next_number)
        villages[size] = next_village
        next_number, next_village = next_number + size, next_village + 1
    out(f"Fund {fund.code}: {next_number - 1:,} members enrolled through the services in "
        f"{time.perf_counter() - started:.1f} s")
    out("Posting one collection sheet (service vs. raw statements)")
    figures = {"vendor": connection.vendor, "members": members, "repeats": REPEATS, "fund": fund.code}
    figures.update(measure_posting(admin, fund, posting, out))
    out("The collection-sheet page")
    figures.update(measure_page(admin, fund, villages, out))
    small, large = figures["page_queries_30"], figures["page_queries_300"]
    figures["page_queries_constant"] = None if small is None or large is None else small == large
    goals = [f"post_ratio {'met' if figures['post_ratio'] >= RATIO_GOAL else 'MISSED'} (≥ {RATIO_GOAL})"]
    if figures["page_queries_constant"] is None:
        goals.append("page queries not measured")
    else:
        goals.append(f"page queries {'constant: met' if figures['page_queries_constant'] else 'GROW: MISSED'} "
                     f"({small} for 30, {large} for 300 members)")
    out("Goals: " + ", ".join(goals))
    if as_json:
        out(json.dumps(figures, sort_keys=True))
    return figures
