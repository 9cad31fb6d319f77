"""Area summaries (สรุปตามพื้นที่): the figures dashboards, open data and the annual report read, kept per fund,
subdistrict, district, province, region and nation, per fiscal year (``month`` 0) and per calendar month.

Flows (new members, contributions, matching money, benefits paid) are for the period of the row; stocks (active
members, fund money by source, funds by status) are at the end of the fiscal year and sit on the year rows only.
A fund's rows are computed from its own records (``summaries.fund_figures``); every area row is the sum of the
rows of the funds in it, kept so by adding each fund's change (``services.summaries_touch``) and checked by
``chumchon insights_rebuild --check``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from chumchon.ledger.models import MONEY


class Level(models.TextChoices):
    FUND = "fund", _("fund")
    SUBDISTRICT = "subdistrict", _("subdistrict")
    DISTRICT = "district", _("district")
    PROVINCE = "province", _("province")
    REGION = "region", _("region")
    NATION = "nation", _("whole country")


NATION_CODE = "TH"
# The figures of a summary row, in the order exports list them: (field, is money).
FLOW_COUNTS = ("members_new", "members_lapsed", "members_deceased", "members_left", "contribution_payments",
               "grants_members_covered", "funds_matched", "benefit_claims", "recipients")
FLOW_MONEY = ("contributions", "grant_government", "grant_local", "grant_donations", "grant_other",
              "benefits_paid")
STOCK_COUNTS = ("members_active", "funds", "funds_active", "funds_dormant", "funds_recovering", "funds_closed")
STOCK_MONEY = ("money_members", "money_government", "money_local", "money_donations", "money_interest",
               "money_other")
FIGURES = FLOW_COUNTS + FLOW_MONEY + STOCK_COUNTS + STOCK_MONEY
MONEY_FIGURES = frozenset(FLOW_MONEY + STOCK_MONEY)
BENEFIT_FIGURES = ("claims", "recipients", "amount")


def _count(label):
    return models.BigIntegerField(label, default=0)


def _money(label):
    return models.DecimalField(label, default=0, **MONEY)


class AreaSummary(models.Model):
    """One area's (or one fund's) welfare-fund figures for a fiscal year (``month`` = 0) or one calendar month of
    it (``month`` 1–12). ``code`` is the fund's code, the DOPA code, the region's id, or ``TH``."""

    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    code = models.CharField(_("code"), max_length=32)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    month = models.PositiveSmallIntegerField(_("month (0 = the whole year)"), default=0)
    # flows in the period
    members_new = _count(_("new members"))
    members_lapsed = _count(_("members lapsed"))
    members_deceased = _count(_("members deceased"))
    members_left = _count(_("members resigned or transferred"))
    contribution_payments = _count(_("contribution payments"))
    contributions = _money(_("contributions"))
    grant_government = _money(_("matching money: government via the institute"))
    grant_local = _money(_("matching money: local administration"))
    grant_donations = _money(_("donations received"))
    grant_other = _money(_("other matching money"))
    grants_members_covered = _count(_("members covered by government matching"))
    funds_matched = _count(_("funds receiving government matching"))
    benefit_claims = _count(_("benefits paid (number)"))
    recipients = _count(_("recipients"))
    benefits_paid = _money(_("benefits paid"))
    # stocks at the end of the fiscal year (year rows only)
    members_active = _count(_("active members"))
    funds = _count(_("funds"))
    funds_active = _count(_("active funds"))
    funds_dormant = _count(_("dormant funds"))
    funds_recovering = _count(_("recovering funds"))
    funds_closed = _count(_("closed funds"))
    money_members = _money(_("fund money: members"))
    money_government = _money(_("fund money: government via the institute"))
    money_local = _money(_("fund money: local administration"))
    money_donations = _money(_("fund money: donations"))
    money_interest = _money(_("fund money: interest"))
    money_other = _money(_("fund money: other"))
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("area summary")
        verbose_name_plural = _("area summaries")
        constraints = [models.UniqueConstraint(fields=["level", "code", "fiscal_year", "month"],
                                               name="insights_summary_unique")]
        indexes = [models.Index(fields=["level", "fiscal_year", "month"])]

    def __str__(self) -> str:
        return f"{self.level} {self.code} {self.fiscal_year}/{self.month}"

    @property
    def fund_money(self):
        return sum(getattr(self, f) for f in STOCK_MONEY)

    @property
    def matching_money(self):
        return self.grant_government + self.grant_local + self.grant_donations + self.grant_other


class BenefitSummary(models.Model):
    """Benefits paid of one kind in an area (or fund) for a fiscal year (``month`` 0) or a month: how many were
    paid, to how many people (distinct within each fund and period, added up over funds), and how much."""

    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    code = models.CharField(_("code"), max_length=32)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    month = models.PositiveSmallIntegerField(_("month (0 = the whole year)"), default=0)
    kind = models.CharField(_("benefit kind"), max_length=30)
    claims = _count(_("benefits paid (number)"))
    recipients = _count(_("recipients"))
    amount = _money(_("amount"))

    class Meta:
        verbose_name = _("benefit summary")
        verbose_name_plural = _("benefit summaries")
        constraints = [models.UniqueConstraint(fields=["level", "code", "fiscal_year", "month", "kind"],
                                               name="insights_benefit_summary_unique")]
        indexes = [models.Index(fields=["level", "code", "fiscal_year"])]

    def __str__(self) -> str:
        return f"{self.level} {self.code} {self.fiscal_year}/{self.month} {self.kind}"


class PendingRefresh(models.Model):
    """A fund whose summary rows wait to be recomputed: written after a change to the fund commits, taken away by
    the refresh task (``insights.tasks.summaries_refresh``) once the fund's rows are up to date. ``token`` changes
    on every new change, so a refresh that read the row before a later change never removes it."""

    organisation_id = models.BigIntegerField(_("organisation"), unique=True)
    token = models.UUIDField(_("token"))
    touched = models.DateTimeField(_("last change"))

    class Meta:
        verbose_name = _("fund waiting for its summaries")
        verbose_name_plural = _("funds waiting for their summaries")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.touched:%Y-%m-%d %H:%M:%S}"


class SummaryVersion(models.Model):
    """One row counting the changes to the summaries: every service that writes them adds one in its own
    transaction (``insights.services``), so a release (:class:`OpenDataRelease`) can tell it has missed a change
    whatever the order the writers committed in — the rows' ``updated`` times alone cannot (a writer that stamped
    its rows first may commit last)."""

    number = models.BigIntegerField(_("changes"), default=0)

    class Meta:
        verbose_name = _("summaries version")
        verbose_name_plural = _("summaries versions")

    def __str__(self) -> str:
        return str(self.number)


class OpenDataRelease(models.Model):
    """One publication of open data (``insights.opendata.publish``): the year rows of the published levels as the
    public may read them, worked out together (small counts, their complements, the years' chain) and kept as
    :class:`PublishedSummary` rows, so every file and the public home page read the same picture and no request
    does the work. ``mark`` says what the summaries were when it was made (:class:`SummaryVersion`, their number
    and latest change); a newer release replaces it (the older one's rows go in the same transaction)."""

    made = models.DateTimeField(_("made"))
    mark = models.CharField(_("summaries read"), max_length=80)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    seconds = models.FloatField(_("seconds taken"), default=0)

    class Meta:
        verbose_name = _("open data release")
        verbose_name_plural = _("open data releases")
        get_latest_by = "pk"

    def __str__(self) -> str:
        return f"{self.made:%Y-%m-%d %H:%M} ({self.rows})"


def _shown_count(label):
    return models.BigIntegerField(label, null=True)


def _shown_money(label):
    return models.DecimalField(label, null=True, **MONEY)


class PublishedSummary(models.Model):
    """A year row of a published level as released: a people count left empty (``NULL``) when small or a
    complement, and the money that belongs to it with it."""

    release = models.ForeignKey(OpenDataRelease, on_delete=models.CASCADE, related_name="summaries")
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    code = models.CharField(_("code"), max_length=32)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    funds = models.BigIntegerField(_("funds"), default=0)
    members_active = _shown_count(_("active members"))
    members_new = _shown_count(_("new members"))
    members_lapsed = _shown_count(_("members lapsed"))
    members_deceased = _shown_count(_("members deceased"))
    members_left = _shown_count(_("members resigned or transferred"))
    contribution_payments = _shown_count(_("contribution payments"))
    grants_members_covered = _shown_count(_("members covered by government matching"))
    benefit_claims = _shown_count(_("benefits paid (number)"))
    recipients = _shown_count(_("recipients"))
    contributions = _shown_money(_("contributions"))
    grant_government = _shown_money(_("matching money: government via the institute"))
    grant_local = _shown_money(_("matching money: local administration"))
    grant_donations = _shown_money(_("donations received"))
    grant_other = _shown_money(_("other matching money"))
    benefits_paid = _shown_money(_("benefits paid"))
    fund_money = _shown_money(_("fund money"))

    class Meta:
        verbose_name = _("published summary")
        verbose_name_plural = _("published summaries")
        constraints = [models.UniqueConstraint(fields=["release", "level", "fiscal_year", "code"],
                                               name="insights_published_unique")]

    def __str__(self) -> str:
        return f"{self.level} {self.code} {self.fiscal_year}"
