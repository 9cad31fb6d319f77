"""Exports with the same columns as the import templates, so a file exported here imports back (into this
instance or another) and gives the same records: people, fund members, contributions, paid benefits, and the
opening balances of a fund's books as at a date.

Values are written the way the importer reads them: B.E. dates as ``dd/mm/yyyy`` text, national IDs as 13 digits
of text, amounts as numbers. Text is never a formula (:mod:`chumchon.core.safe_cells`): a string cell in xlsx, and
in CSV a single quote before text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, which
the importer takes off again. Files with personal data (people, members, payouts that name a beneficiary) need the
"view unmasked personal data" permission and a purpose; every export is written to the audit log with its kind,
fund, number of rows and purpose. The xlsx is written in write-only mode and the rows are read with ``iterator()``,
so memory stays flat for a fund of any size.
"""

import csv
import datetime
import io
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, Sum, Value

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location, restrict, user_can
from chumchon.core.audit import audit_record
from chumchon.core.safe_cells import csv_cell, xlsx_value
from chumchon.core.thai.dates import format_date
from chumchon.core.xlsx import sheet_title
from chumchon.dataio.kinds import KINDS
from chumchon.dataio.kinds.opening import KEY as OPENING_KEY
from chumchon.dataio.lists import append_headers, file_stamp
from chumchon.dataio.values import thai_labels
from chumchon.ledger.charts import FUND_BALANCE_BY_SOURCE
from chumchon.ledger.models import Account, AccountType, JournalEntry, Line
from chumchon.people.models import Person
from chumchon.people.services import export_purpose_checked, personal_data_exports_record
from chumchon.welfare.models import Claim, Contribution, Fund, Membership

PERSONAL = {"people", "memberships", "payouts", "organisations"}  # organisations: their leaders and contacts
# Kinds whose personal data sit in a few columns only: a user without the right to see personal data still
# exports the rest, those columns left empty (no purpose asked: nothing personal leaves).
PERSONAL_COLUMNS = {"organisations": ("leaders", "contact")}
FORMATS = ("xlsx", "csv")
ZERO = Decimal("0.00")


def be(day: datetime.date | None) -> str:
    """A date as the importer reads it back: ``dd/mm/yyyy`` B.E."""
    return format_date(day, "numeric")


def _person_values(person: Person) -> dict:
    data = getattr(person, "personal_data", None)
    return {
        "national_id": data.national_id if data else "", "title": person.title, "first_name": person.first_name,
        "last_name": person.last_name, "birth_date": be(person.birth_date),
        "sex": {"M": "ชาย", "F": "หญิง"}.get(person.sex, ""), "house_number": person.house_number,
        "village_number": person.village_number or "", "subdistrict_code": person.subdistrict_id,
        "phone": data.phone if data else "", "_person": person.pk,
    }


def _people(actor, fund: Fund | None, **_) -> Iterator[dict]:
    """Everyone the user may see or, for a fund, its members and the people its paid benefits name (a member's
    child): imported first, they let the fund's payouts file find each beneficiary."""
    people = restrict(Person.objects.select_related("personal_data"), actor, Action.VIEW_PERSONAL)
    if fund is not None:
        beneficiaries = Claim.objects.paid().filter(fund=fund).values("beneficiary_id")
        people = people.filter(Q(memberships__fund=fund) | Q(pk__in=beneficiaries)).distinct()
    for person in people.order_by("id").iterator(chunk_size=2000):
        yield _person_values(person)


def _memberships(actor, fund: Fund, **_) -> Iterator[dict]:
    members = restrict(Membership.objects.filter(fund=fund).select_related("person__personal_data"), actor,
                       Action.VIEW_PERSONAL)
    for m in members.order_by("member_number", "id").iterator(chunk_size=2000):
        yield {**_person_values(m.person), "fund_code": fund.code, "member_number": m.member_number,
               "joined_on": be(m.joined_on), "village_number": m.village_number or m.person.village_number or "",
               "status": thai_labels(Membership.Status).get(m.status, m.status), "ended_on": be(m.ended_on)}


def _contributions(actor, fund: Fund, since: datetime.date | None = None, **_) -> Iterator[dict]:
    rows = restrict(Contribution.objects.standing().filter(fund=fund), actor).values_list(
        "membership__member_number", "receipt_number", "date", "amount")
    if since:
        rows = rows.filter(date__gte=since)
    for number, receipt, date, amount in rows.order_by("date", "id").iterator(chunk_size=5000):
        yield {"fund_code": fund.code, "member_number": number, "receipt_number": receipt, "date": be(date),
               "amount": amount}


def _payouts(actor, fund: Fund, since: datetime.date | None = None, **_) -> Iterator[dict]:
    claims = restrict(Claim.objects.paid().filter(fund=fund), actor, Action.VIEW_PERSONAL)
    claims = claims.select_related("membership", "kind", "entry", "beneficiary__personal_data")
    if since:
        claims = claims.filter(entry__date__gte=since)
    for claim in claims.order_by("entry__date", "id").iterator(chunk_size=2000):
        own = claim.beneficiary_id == claim.membership.person_id
        data = getattr(claim.beneficiary, "personal_data", None)
        yield {"fund_code": fund.code, "member_number": claim.membership.member_number,
               "voucher_number": claim.voucher_number, "benefit": claim.kind.name_th,
               "date": be(claim.entry.date if claim.entry_id else claim.event_date), "amount": claim.amount,
               "event_date": be(claim.event_date),
               "beneficiary_national_id": "" if own or data is None else data.national_id,
               "_person": claim.beneficiary_id}


def _opening(actor, fund: Fund, as_of: datetime.date | None = None, **_) -> Iterator[dict]:
    """Balance-sheet balances from the entries dated before ``as_of``; the income and expense of years not yet
    closed are folded into the fund balance of their source, as year-end closing would."""
    if as_of is None:
        raise ValidationError({"as_of": ValidationError("กรุณาระบุวันที่ของยอดยกมา (the opening date is required)",
                                                        code="required")})
    book = fund.organisation.book
    # An imported opening entry dated ``as_of`` is the balance at the start of that day: it counts.
    sums = (Line.objects.filter(Q(date__lt=as_of) | Q(date=as_of, entry__idempotency_key=OPENING_KEY),
                                book=book, entry__status=JournalEntry.Status.POSTED)
            .values("account_id").annotate(debit=Sum("debit"), credit=Sum("credit")))
    accounts = {a.pk: a for a in Account.objects.filter(book=book)}
    by_code = {a.code: a for a in accounts.values()}
    net: dict[str, Decimal] = defaultdict(lambda: ZERO)  # debit-positive
    for row in sums:
        account = accounts[row["account_id"]]
        amount = (row["debit"] or ZERO) - (row["credit"] or ZERO)
        if account.type in (AccountType.INCOME, AccountType.EXPENSE):
            net[FUND_BALANCE_BY_SOURCE[account.fund_source]] += amount
        else:
            net[account.code] += amount
    for code in sorted(net):
        amount = net[code]
        if amount == 0:
            continue
        yield {"fund_code": fund.code, "date": be(as_of), "account_code": code,
               "account_name": by_code[code].name_th if code in by_code else "",
               "debit": amount if amount > 0 else "", "credit": -amount if amount < 0 else ""}


def _organisations(actor, fund, **_) -> Iterator[dict]:
    """Live registrations the user may see, by council and number (a de-registered one is history, not register).
    Leaders and contact are filled only on the rows of organisations whose personal data the user may see (decided
    in the same query, not from the right held somewhere else)."""
    from chumchon.councils.models import CommunityOrganization, Registration

    registrations = restrict(Registration.objects.filter(deregistered_on=None), actor).select_related(
        "council__organisation", "organization__organisation").order_by("council__organisation__code", "number")
    if _sees_personal(actor):
        personal_orgs = restrict(CommunityOrganization.objects.all(), actor, Action.VIEW_PERSONAL).values("pk")
        registrations = registrations.annotate(personal=ExpressionWrapper(
            Q(organization__in=personal_orgs), output_field=BooleanField()))
    else:
        registrations = registrations.annotate(personal=Value(False))
    for reg in registrations.iterator(chunk_size=2000):
        org, personal = reg.organization, reg.personal
        yield {"council_code": reg.council.code, "registration_number": reg.number, "name_th": org.name,
               "kind": thai_labels(CommunityOrganization.Kind).get(org.kind, org.kind),
               "registered_on": be(reg.registered_on),
               "village_number": org.village_number or "", "founded_on": be(org.founded_on),
               "members_count": org.members_count, "leaders": org.leaders if personal else "",
               "contact": org.contact if personal else ""}


def _councils(actor, fund, **_) -> Iterator[dict]:
    from chumchon.councils.models import Council
    from chumchon.dataio.kinds.councils import KIND_TH

    for council in restrict(Council.objects.select_related("organisation"), actor).order_by(
            "organisation__code").iterator(chunk_size=2000):
        yield {"code": council.code, "name_th": council.organisation.name_th,
               "subdistrict_code": council.organisation.subdistrict_id, "kind": KIND_TH.get(council.kind, council.kind),
               "founded_on": be(council.founded_on), "registration_number": council.registration_number,
               "registered_on": be(council.registered_on)}


ROWS = {"people": _people, "memberships": _memberships, "contributions": _contributions, "payouts": _payouts,
        "opening-balances": _opening, "councils": _councils, "organisations": _organisations}


def _sees_personal(user) -> bool:
    return user_can(user, Action.VIEW_PERSONAL)


def may_export(user, kind: str) -> bool:
    """Whether ``user`` may export ``kind`` at all (a file of personal data asks for the right to see it, unless
    its personal columns can be left empty); the fund and the purpose are checked when the file is asked for."""
    return kind in ROWS and (kind not in PERSONAL or kind in PERSONAL_COLUMNS or _sees_personal(user))


def holds_personal(user, kind: str) -> bool:
    """Whether the file of ``kind`` that ``user`` would get holds personal data (so a purpose is asked)."""
    return kind in PERSONAL and _sees_personal(user)


def _check(actor, kind: str, fund: Fund | None, purpose: str) -> None:
    if kind not in ROWS:
        raise ValidationError({"kind": ValidationError(f"ไม่รู้จักชนิดข้อมูล {kind} (unknown kind {kind})",
                                                       code="unknown")})
    if fund is None and KINDS[kind].needs_fund:
        raise ValidationError({"fund": ValidationError("กรุณาเลือกกองทุน (please choose the fund)", code="required")})
    if fund is not None and not allows_location(actor, Action.VIEW, organisation=fund.organisation,
                                                subdistrict=fund.organisation.subdistrict):
        raise PermissionDenied("ไม่มีสิทธิ์ดูข้อมูลของกองทุนนี้ (not allowed to see this fund's records)")
    if not may_export(actor, kind):
        raise PermissionDenied("ไฟล์นี้มีข้อมูลส่วนบุคคล: ไม่มีสิทธิ์ส่งออก "
                               "(this file holds personal data: not allowed to export it)")
    if holds_personal(actor, kind):
        export_purpose_checked(purpose)


def _noting_people(rows, people: list[int]):
    for row in rows:
        if row.get("_person"):
            people.append(row["_person"])
        yield row


def _csv(kind, rows, handle) -> int:
    """The rows as CSV (UTF-8 with a BOM, as Excel reads it) into the binary ``handle``, as they come; text that
    starts like a formula behind a single quote (:func:`~chumchon.core.safe_cells.csv_cell`)."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([c.th for c in kind.columns])
    writer.writerow([c.en for c in kind.columns])
    count = 0
    for row in rows:
        writer.writerow([csv_cell(row.get(c.key)) for c in kind.columns])
        count += 1
    text.flush()
    text.detach()  # the handle stays open: it is the caller's
    return count


def _xlsx(kind, rows, handle) -> int:
    """The rows as an xlsx workbook into the binary ``handle``; openpyxl's write-only mode keeps them on disk."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(kind.title_th))
    append_headers(sheet, [c.th for c in kind.columns], [c.en for c in kind.columns])
    count = 0
    for row in rows:
        values = []
        for column in kind.columns:
            value = row.get(column.key)
            if isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "#,##0.00"
                value = cell
            values.append("" if value is None else xlsx_value(sheet, value))  # text never a formula
        sheet.append(values)
        count += 1
    book.save(handle)
    return count


def export_file(*, actor, kind: str, fund: Fund | None = None, fmt: str = "xlsx", purpose: str = "",
                since: datetime.date | None = None, as_of: datetime.date | None = None) -> tuple[bytes, str]:
    """The file (bytes) and its name: :func:`export_to` into memory, for the small files of one fund (the tests,
    the command line). The page writes into a temporary file instead."""
    out = io.BytesIO()
    name = export_to(out, actor=actor, kind=kind, fund=fund, fmt=fmt, purpose=purpose, since=since, as_of=as_of)
    return out.getvalue(), name


@transaction.atomic
def export_to(handle, *, actor, kind: str, fund: Fund | None = None, fmt: str = "xlsx", purpose: str = "",
              since: datetime.date | None = None, as_of: datetime.date | None = None) -> str:
    """Write the file into the binary ``handle`` as the rows are read (a country's people do not fit in memory;
    the page gives a temporary file) and return its name. Refused (PermissionDenied, ValidationError) before
    anything is read when the user may not see the fund or its personal data, or gave no purpose for personal
    data."""
    if fmt not in FORMATS:
        raise ValidationError({"format": ValidationError(f"ไม่รู้จักรูปแบบ {fmt} (unknown format {fmt})",
                                                         code="format")})
    _check(actor, kind, fund, purpose)
    people: list[int] = []
    rows = _noting_people(ROWS[kind](actor, fund, since=since, as_of=as_of), people)
    count = (_xlsx if fmt == "xlsx" else _csv)(KINDS[kind], rows, handle)
    personal_data_exports_record(actor=actor, person_ids=people, purpose=purpose.strip(), fields=f"{kind} ({fmt})")
    name = f"{kind}-{fund.code if fund else 'all'}-{file_stamp()}.{fmt}"
    audit_record(actor=actor, action="dataio.export", obj=fund, summary=f"{kind} {fmt}: {count} rows",
                 organisation=fund.organisation if fund else None,
                 data={"kind": kind, "format": fmt, "rows": count, "purpose": purpose.strip()[:300],
                       "since": since.isoformat() if since else None, "as_of": as_of.isoformat() if as_of else None})
    return name
