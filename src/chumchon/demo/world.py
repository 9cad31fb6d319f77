"""Builds the demo world through the real services, so every rule and audit row applies.

Idempotent: everything is found by its natural key (fund code, username) before it is created, and the
random choices come from a fixed seed, so a second run changes nothing.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chumchon.access import services as access_services
from chumchon.access.models import User
from chumchon.access.roles import Role, ScopeKind
from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.core.thai.national_id import make_valid
from chumchon.demo import names
from chumchon.demo.books import post_demo_history
from chumchon.demo.councils import build_councils
from chumchon.geo import services as geo_services
from chumchon.geo.models import Province, Region, Subdistrict, Village
from chumchon.people import services as people_services
from chumchon.people.models import Sex, Title
from chumchon.welfare import services as welfare_services
from chumchon.welfare.models import CommitteeMember, Fund

DEMO_PASSWORD = "chumchon-demo"  # noqa: S105 (the demo's published password, printed on purpose)
# The demo's two-factor key (base32 JSBSWY3DPEHPK3PXP...) and backup codes, printed for the demo logins.
DEMO_TOTP_KEY_HEX = "48656c6c6f21deadbeef48656c6c6f21deadbeef"
DEMO_BACKUP_CODES = ["11111111", "22222222", "33333333", "44444444", "55555555"]

# (fund code, subdistrict DOPA code, members) — 3 provinces: Chiang Mai, Khon Kaen, Songkhla.
FUNDS = [
    ("CM-500203", "500203", 240), ("CM-500301", "500301", 120), ("CM-501301", "501301", 85),
    ("CM-502101", "502101", 60),
    ("KK-400101", "400101", 300), ("KK-400501", "400501", 150), ("KK-401001", "401001", 70),
    ("SK-900101", "900101", 180), ("SK-901101", "901101", 95), ("SK-900601", "900601", 55),
]


@dataclass
class DemoSummary:
    created_funds: int = 0
    created_people: int = 0
    created_entries: int = 0
    created_councils: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def _admin() -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        username="admin", defaults={"first_name": "ผู้ดูแล", "last_name": "ระบบ", "is_staff": False}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user, created


def _treasurer_login(admin, fund: Fund) -> User:
    """The ``treasurer`` login of the demo fund, made as soon as its committee sits (the list of logins at the end
    finds it made)."""
    seat = fund.committee.select_related("person").filter(position=CommitteeMember.Position.TREASURER).first()
    person = seat.person if seat else None
    user = _user("treasurer", person.first_name if person else "treasurer", person.last_name if person else "(demo)",
                 person)
    access_services.role_assign(actor=admin, user=user, role=Role.FUND_TREASURER, scope_kind=ScopeKind.ORGANISATION,
                                scope=fund.organisation)
    return user


def _user(username: str, first: str, last: str, person=None, *, login: bool = True) -> User:
    """The demo user, made once: with the demo password, or (``login`` False) none — it cannot log in."""
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last,
                                                                             "person": person})
    if created:
        if login:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
    return user


def _two_factor(user: User) -> None:
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="demo authenticator", key=DEMO_TOTP_KEY_HEX, confirmed=True)
    if not StaticDevice.objects.filter(user=user).exists():
        device = StaticDevice.objects.create(user=user, name="demo backup codes", confirmed=True)
        for code in DEMO_BACKUP_CODES:
            StaticToken.objects.create(device=device, token=code)


def _fund_name(subdistrict: Subdistrict) -> str:
    return f"กองทุนสวัสดิการชุมชนตำบล{subdistrict.name_th}"


def _people_for(fund: Fund, count: int, rng: random.Random, actor, used_ids: set[str], today: datetime.date) -> int:
    subdistrict = fund.organisation.subdistrict
    villages = list(range(1, rng.randint(6, 14)))
    for number in villages:
        Village.objects.get_or_create(subdistrict=subdistrict, number=number)
    founded = fund.founded_on or datetime.date(2010, 1, 1)
    for i in range(1, count + 1):
        female = rng.random() < 0.58
        age = rng.randint(1, 88)
        birth = datetime.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        if age < 15:
            title = Title.GIRL if female else Title.MASTER
        else:
            title = (Title.MRS if rng.random() < 0.7 else Title.MISS) if female else Title.MR
        while True:
            national_id = make_valid(str(rng.choice([1, 3])) + "".join(str(rng.randint(0, 9)) for _ in range(11)))
            if national_id not in used_ids:
                used_ids.add(national_id)
                break
        person = people_services.person_create(
            actor=actor, title=title, first_name=rng.choice(names.FEMALE if female else names.MALE),
            last_name=rng.choice(names.SURNAMES), birth_date=birth, sex=Sex.FEMALE if female else Sex.MALE,
            house_number=f"{rng.randint(1, 250)}", village_number=rng.choice(villages), subdistrict=subdistrict,
            national_id=national_id if rng.random() > 0.03 else None,
            phone=f"08{rng.randint(10000000, 99999999)}" if age >= 15 and rng.random() < 0.8 else "",
            registered_by=fund.organisation,
        )
        # Everyone joined before the current fiscal year, so each has a full year of history to show.
        last_day = fiscal_year_of(today).start - datetime.timedelta(days=1)
        joined = founded + datetime.timedelta(days=rng.randint(0, (last_day - founded).days))
        welfare_services.membership_enrol(actor=actor, fund=fund, person=person, member_number=f"{i:05d}",
                                          joined_on=max(joined, birth))
    return count


@transaction.atomic
def build_demo(today: datetime.date | None = None) -> DemoSummary:
    """Create (or find) the demo world as of ``today`` (default: today in Thailand) and return what was made and
    the logins to print."""
    today = today or timezone.localdate()
    summary = DemoSummary()
    geo_services.geography_load()
    geo_services.regions_load()
    admin, _ = _admin()
    access_services.role_assign(actor=admin, user=admin, role=Role.ADMINISTRATOR, scope_kind=ScopeKind.NATIONAL)
    _two_factor(admin)
    # The demo's claims are decided by someone other than the one who submits them (four eyes), with the right to
    # handle claims (the fund's change right and the personal-data right): a committee member of each fund with
    # no login of its own (no password), seated in each fund as it is made below.
    reviewer = _user("demo-committee", "คณะกรรมการกองทุน", "(ผู้พิจารณาคำขอ)", login=False)
    used_ids: set[str] = set()
    funds = []
    for code, subdistrict_code, members in FUNDS:
        subdistrict = Subdistrict.objects.get(code=subdistrict_code)
        fund = Fund.objects.filter(organisation__code=code).select_related("organisation__subdistrict").first()
        fund_rng = random.Random(f"{code}-2565")
        if fund is None:
            fund = welfare_services.fund_create(
                actor=admin, code=code, name_th=_fund_name(subdistrict), subdistrict=subdistrict,
                name_en=f"{subdistrict.name_en} Community Welfare Fund",
                founded_on=datetime.date(fund_rng.randint(2008, 2016), fund_rng.randint(1, 12), 1),
            )
            summary.created_funds += 1
            summary.created_people += _people_for(fund, members, fund_rng, admin, used_ids, today)
            adults = fund.memberships.select_related("person").filter(person__birth_date__lte=datetime.date(2000, 1, 1))
            memberships = list(adults.order_by("member_number")[:5])
            for membership, position in zip(memberships, [CommitteeMember.Position.CHAIR,
                                                          CommitteeMember.Position.TREASURER,
                                                          CommitteeMember.Position.SECRETARY,
                                                          CommitteeMember.Position.VICE_CHAIR,
                                                          CommitteeMember.Position.MEMBER], strict=False):
                welfare_services.committee_seat(actor=admin, fund=fund, person=membership.person,
                                                position=position, term_start=datetime.date(2024, 4, 1),
                                                term_end=datetime.date(2028, 3, 31))
        funds.append(fund)
        if not reviewer.role_assignments.filter(organisation=fund.organisation).exists():
            access_services.role_assign(actor=admin, user=reviewer, role=Role.FUND_CHAIR,
                                        scope_kind=ScopeKind.ORGANISATION, scope=fund.organisation)
        # The demo fund's books are kept by its treasurer (receipts and vouchers name who took and paid the money);
        # the other funds', which have no logins, by the administrator.
        recorder = admin if code != FUNDS[0][0] else _treasurer_login(admin, fund)
        summary.created_entries += post_demo_history(actor=recorder, reviewer=reviewer, fund=fund,
                                                     rng=random.Random(f"{code}-books"), today=today)

    fund_a = funds[0]
    summary.created_councils = build_councils(actor=admin, funds=funds, today=today,
                                              skip_current_for=fund_a.organisation.subdistrict)
    committee = {c.position: c.person for c in fund_a.committee.select_related("person")}
    ordinary = fund_a.memberships.select_related("person").order_by("member_number")[10].person
    chiang_mai = Province.objects.get(code="50")
    north = Region.objects.get(scheme__is_default=True, code="north")
    logins = [
        ("admin", Role.ADMINISTRATOR, ScopeKind.NATIONAL, None, None),
        ("national", Role.NATIONAL_STAFF, ScopeKind.NATIONAL, None, None),
        ("auditor", Role.AUDITOR, ScopeKind.NATIONAL, None, None),
        ("regional", Role.REGIONAL_STAFF, ScopeKind.REGION, north, None),
        ("province", Role.PROVINCIAL_SECRETARIAT, ScopeKind.PROVINCE, chiang_mai, None),
        ("council", Role.COUNCIL_OFFICER, ScopeKind.SUBDISTRICT, fund_a.organisation.subdistrict, None),
        ("chair", Role.FUND_CHAIR, ScopeKind.ORGANISATION, fund_a.organisation, committee.get("chair")),
        ("treasurer", Role.FUND_TREASURER, ScopeKind.ORGANISATION, fund_a.organisation, committee.get("treasurer")),
        ("secretary", Role.FUND_SECRETARY, ScopeKind.ORGANISATION, fund_a.organisation, committee.get("secretary")),
        ("member", Role.MEMBER, ScopeKind.ORGANISATION, fund_a.organisation, ordinary),
    ]
    for username, role, scope_kind, scope, person in logins:
        if username == "admin":
            user = admin
        else:
            first, last = (person.first_name, person.last_name) if person else (str(role.label), "(demo)")
            user = _user(username, first, last, person)
        access_services.role_assign(actor=admin, user=user, role=role, scope_kind=scope_kind, scope=scope)
        if role in (Role.ADMINISTRATOR, Role.NATIONAL_STAFF):
            _two_factor(user)
        where = str(scope) if scope is not None else "ทั้งประเทศ (national)"
        summary.logins.append((username, str(role.label), where))
    return summary
