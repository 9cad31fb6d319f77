"""The dashboard benchmark behind ``chumchon bench dashboard``: how the national picture reads on the data there is.

Run it on a database filled with ``chumchon synth`` (any scale). It measures, with a national auditor logged in
(a user of its own, read-only):

- the national dashboard (``insights:dashboard nation TH``) against a trivial page of the same site for the same
  user (the areas page, ``geo:nation``: a fixed list of regions), interleaved, ``repeats`` times each; the medians
  give ``dashboard_ratio`` (dashboard time / trivial time, goal ≤ 5) — so the ratio says how much the national
  figures add to a page, whatever the machine;
- the biggest province's dashboard and the national annual report page the same way, with their query counts,
  which must not grow with the members;
- ``summaries_agree``: the stored summaries compared with a full recomputation from the records
  (``summaries.differences``), and how long the recomputation took.

Nothing is written but the bench user and its role.
"""

import statistics
import time
import uuid
from collections.abc import Callable

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chumchon.access import services as access_services
from chumchon.access.models import User
from chumchon.access.roles import Role, ScopeKind
from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.insights import summaries
from chumchon.insights.models import NATION_CODE, AreaSummary, Level
from chumchon.welfare.models import Fund, Membership

RATIO_GOAL = 5
Out = Callable[[str], object]


def _auditor() -> User:
    user = User.objects.create_user(username=f"bench-auditor-{uuid.uuid4().hex[:8]}", password=None)
    access_services.role_assign(actor=None, user=user, role=Role.AUDITOR, scope_kind=ScopeKind.NATIONAL)
    return user


def _client_for(user: User) -> Client:
    """A test client logged in, with the second factor verified (a static device), as a browser would be."""
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def _timed(fn: Callable[[], object]) -> tuple[float, int, object]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), result


def _against_trivial(label: str, fn: Callable[[], object], trivial: Callable[[], object], repeats: int,
                     out: Out) -> dict:
    """Medians of ``fn`` and of the trivial page, interleaved after one warm-up of each."""
    fn(), trivial()
    times, base, queries = [], [], 0
    for _ in range(repeats):
        elapsed, queries, _result = _timed(fn)
        times.append(elapsed)
        base.append(_timed(trivial)[0])
    median, trivial_median = statistics.median(times), statistics.median(base)
    ratio = median / trivial_median
    out(f"  {label}: {median * 1000:,.1f} ms, {queries} queries; trivial page {trivial_median * 1000:,.1f} ms: "
        f"ratio {ratio:.2f}")
    return {"ms": median * 1000, "queries": queries, "trivial_ms": trivial_median * 1000, "ratio": ratio}


def _get(client: Client, url: str) -> Callable[[], object]:
    def fetch():
        response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"{url} answered {response.status_code}")
        return response

    return fetch


def run(*, repeats: int = 15, fiscal_year: int | None = None, out: Out = lambda text: None) -> dict:
    """Measure (see the module's docstring); ``fiscal_year`` defaults to the latest with national figures."""
    out(f"Dashboard benchmark on {connection.vendor}")
    started = time.perf_counter()
    members = Membership.objects.filter(status=Membership.Status.ACTIVE).count()
    funds = Fund.objects.count()
    this_year = fiscal_year_of(timezone.localdate()).be_year
    fiscal_year = fiscal_year or (AreaSummary.objects.filter(level=Level.NATION, code=NATION_CODE, month=0,
                                              fiscal_year__lte=this_year)
                   .order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()) or this_year
    out(f"  {funds:,} funds, {members:,} active members (counted in {time.perf_counter() - started:.1f} s); "
        f"fiscal year {fiscal_year}")
    figures: dict = {"vendor": connection.vendor, "funds": funds, "members": members, "fiscal_year": fiscal_year,
                     "repeats": repeats}
    client = _client_for(_auditor())
    trivial = _get(client, reverse("geo:nation"))
    with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
        nation = _against_trivial(
            "national dashboard", _get(client, reverse("insights:dashboard", args=[Level.NATION, NATION_CODE])
                                       + f"?fy={fiscal_year}"), trivial, repeats, out)
        figures |= {"dashboard_ms": nation["ms"], "dashboard_queries": nation["queries"],
                    "trivial_ms": nation["trivial_ms"], "dashboard_ratio": nation["ratio"]}
        biggest = (AreaSummary.objects.filter(level=Level.PROVINCE, fiscal_year=fiscal_year, month=0)
                   .order_by("-members_active").values_list("code", flat=True).first())
        if biggest:
            province = _against_trivial(
                f"province {biggest} dashboard",
                _get(client, reverse("insights:dashboard", args=[Level.PROVINCE, biggest]) + f"?fy={fiscal_year}"),
                trivial, repeats, out)
            figures |= {"province": biggest, "province_dashboard_ms": province["ms"],
                        "province_dashboard_queries": province["queries"], "province_ratio": province["ratio"]}
        figures_of_report = _against_trivial(
            "national annual report page",
            _get(client, reverse("insights:annual_report", args=[fiscal_year, Level.NATION, NATION_CODE])), trivial,
            repeats, out)
        figures |= {"report_ms": figures_of_report["ms"], "report_queries": figures_of_report["queries"],
                    "report_ratio": figures_of_report["ratio"]}
    started = time.perf_counter()
    found = summaries.differences()
    figures["recompute_s"] = time.perf_counter() - started
    figures["summaries_agree"] = not found
    for line in found[:5]:
        out(f"  differs: {line}")
    out(f"  summaries {'agree' if not found else 'DIFFER'} with a full recomputation "
        f"({figures['recompute_s']:.1f} s to recompute)")
    met = figures["dashboard_ratio"] <= RATIO_GOAL
    out(f"Goals: dashboard_ratio {'met' if met else 'MISSED'} (≤ {RATIO_GOAL}), summaries_agree "
        f"{'met' if figures['summaries_agree'] else 'MISSED'}")
    return figures
