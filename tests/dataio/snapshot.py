"""A fund's records as plain data, without database ids: what the round-trip test compares between the instance
that exported and a fresh one that imported the files. Also run inside the fresh instance (see test_roundtrip)."""

import sys


def fund_snapshot(code: str) -> dict:
    from chumchon.ledger.models import Account
    from chumchon.welfare.models import Claim, Contribution, Fund, Membership

    fund = Fund.objects.get(organisation__code=code)
    members = [
        [m.member_number, m.person.personal_data.national_id, m.person.title, m.person.first_name, m.person.last_name,
         str(m.person.birth_date), m.person.sex, m.person.house_number, m.person.village_number,
         m.person.subdistrict_id, str(m.joined_on), m.status, str(m.ended_on), str(m.paid_through)]
        for m in Membership.objects.filter(fund=fund).select_related("person__personal_data").order_by("member_number")
    ]
    contributions = [
        [c.receipt_number, c.membership.member_number, str(c.date), str(c.amount), c.days, str(c.covers_from),
         str(c.covers_to), c.fiscal_year]
        for c in Contribution.objects.filter(fund=fund).select_related("membership").order_by("receipt_number")
    ]
    claims = [
        [c.voucher_number, c.membership.member_number, c.kind.code, str(c.amount), str(c.event_date),
         str(c.entry.date), c.status, c.beneficiary.personal_data.national_id]
        for c in Claim.objects.filter(fund=fund, status=Claim.Status.PAID)
        .select_related("membership", "kind", "entry", "beneficiary__personal_data").order_by("voucher_number")
    ]
    balances = {a.code: str(a.balance) for a in Account.objects.filter(book=fund.organisation.book)
                if a.debit_total or a.credit_total}
    return {"members": members, "contributions": contributions, "claims": claims, "balances": balances}


def fresh_instance_import(code: str, subdistrict: str, files: list[tuple[str, str]]) -> dict:
    """Inside a fresh instance: create the fund, import the files through the CLI, return the snapshot."""
    import datetime

    from django.core.management import call_command

    from chumchon.access.models import User
    from chumchon.access.roles import Role, ScopeKind
    from chumchon.access.services import role_assign
    from chumchon.geo.models import Subdistrict
    from chumchon.welfare import services as welfare

    admin = User.objects.create_user(username="mover", password="x" * 12)
    role_assign(actor=None, user=admin, role=Role.ADMINISTRATOR, scope_kind=ScopeKind.NATIONAL)
    fund = welfare.fund_create(actor=admin, code=code, name_th="กองทุนที่ย้ายมา",
                               subdistrict=Subdistrict.objects.get(code=subdistrict))
    welfare.typical_rules_set(actor=admin, fund=fund, effective_from=datetime.date(2020, 1, 1))
    for kind, path in files:
        try:
            call_command("import", kind, path, "--fund", code, "--user", "mover")
        except SystemExit as exit_:
            if exit_.code:
                raise SystemExit(f"import {kind} {path} exited {exit_.code}") from None
    return fund_snapshot(code)


if __name__ == "__main__":  # python snapshot.py CODE SUBDISTRICT kind=path ...
    import json

    import django

    django.setup()
    code, subdistrict, *pairs = sys.argv[1:]
    result = fresh_instance_import(code, subdistrict, [tuple(p.split("=", 1)) for p in pairs])
    print("SNAPSHOT " + json.dumps(result, ensure_ascii=False))
