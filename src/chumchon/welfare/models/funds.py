"""Community welfare funds (กองทุนสวัสดิการชุมชน): the fund, its members and its committee.

This is the start the Foundation needs (funds to scope by, members to show); contributions, benefits and
claims come with the welfare-funds issue.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from chumchon.core.models import OrganisationProfile


class Fund(OrganisationProfile):
    """A tambon or municipal community welfare fund. Its organisation row gives it a code, a name and an area,
    and is what a fund committee's role assignment points at."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        DORMANT = "dormant", _("dormant")
        RECOVERING = "recovering", _("recovering")
        CLOSED = "closed", _("closed")

    organisation = models.OneToOneField(
        "core.Organisation", primary_key=True, on_delete=models.PROTECT, related_name="fund"
    )
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    # The contribution plan (วันละบาท by default) and the rules every fund sets for itself.
    daily_rate = models.DecimalField(_("contribution per day (baht)"), max_digits=8, decimal_places=2, default=1)
    allowed_frequencies = models.CharField(
        _("allowed payment frequencies"), max_length=40, default="daily,weekly,monthly,yearly",
        help_text=_("Comma-separated: daily, weekly, monthly, yearly."),
    )
    whole_days_only = models.BooleanField(_("payments must cover whole days"), default=True)
    arrears_limit_days = models.PositiveSmallIntegerField(_("lapse after days in arrears"), default=90)
    admin_cost_cap_percent = models.DecimalField(_("cap on administration costs (percent of income)"), max_digits=5,
                                                 decimal_places=2, default=20)
    refund_on_resignation = models.BooleanField(
        _("refund contributions to a member who resigns without ever receiving a benefit"), default=False,
        help_text=_("Contributions are not refunded otherwise (the fund's regulations say which)."))

    class Meta:
        ordering = ["organisation__code"]
        verbose_name = _("welfare fund")
        verbose_name_plural = _("welfare funds")

    class Scope:
        area = "organisation__subdistrict"
        organisation = "organisation"


class Membership(models.Model):
    """สมาชิก: a person's membership of a fund, with their member number in that fund."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        LAPSED = "lapsed", _("lapsed")
        RESIGNED = "resigned", _("resigned")
        DECEASED = "deceased", _("deceased")
        TRANSFERRED = "transferred", _("transferred out")

    # No index of its own on fund: the unique (fund, member number) leads with it and answers every lookup by fund
    # (a fund's members, the key's checks), and each index is written for each of millions of members.
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="memberships", db_index=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="memberships")
    member_number = models.CharField(_("member number"), max_length=20)
    joined_on = models.DateField(_("joining date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    village_number = models.PositiveSmallIntegerField(_("village number (Moo)"), null=True, blank=True)
    paid_through = models.DateField(
        _("contributions paid through"), null=True, blank=True,
        help_text=_("The last day covered by the member's contributions; moved only by contribution services."),
    )
    lapse_notice_on = models.DateField(_("lapse notice sent on"), null=True, blank=True)

    class Meta:
        ordering = ["fund", "member_number"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["fund", "member_number"], name="welfare_member_number_in_fund"),
            # One person belongs to one fund at a time; a move ends one membership and starts another.
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="active"), name="welfare_one_active_membership"
            ),
        ]

    class Scope:
        area = "fund__organisation__subdistrict"
        organisation = "fund"
        person = "person"

    def __str__(self) -> str:
        return f"{self.fund.code}/{self.member_number}"

    def days_in_arrears(self, on) -> int:
        """Days from the first unpaid day up to ``on`` (0 when paid ahead)."""
        covered = self.paid_through or (self.joined_on - datetime.timedelta(days=1))
        return max(0, (on - covered).days)

    @property
    def audit_organisation(self):
        return self.fund.organisation


class CommitteeMember(models.Model):
    """กรรมการกองทุน: a person on a fund's committee in a position for a term."""

    class Position(models.TextChoices):
        CHAIR = "chair", _("chair")
        VICE_CHAIR = "vice_chair", _("vice chair")
        TREASURER = "treasurer", _("treasurer")
        SECRETARY = "secretary", _("secretary")
        MEMBER = "member", _("committee member")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="committee")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="committee_positions")
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)

    class Meta:
        ordering = ["fund", "position", "term_start"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True) | models.Q(term_end__gte=models.F("term_start")),
                name="welfare_committee_term_order",
            )
        ]

    class Scope:
        area = "fund__organisation__subdistrict"
        organisation = "fund"

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.person}"

    @property
    def audit_organisation(self):
        return self.fund.organisation
