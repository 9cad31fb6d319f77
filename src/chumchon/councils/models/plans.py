"""Local development plans (แผนพัฒนาชุมชนท้องถิ่น) and how their items were taken up by agencies."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DevelopmentPlan(models.Model):
    """แผนพัฒนาชุมชนท้องถิ่น: a subdistrict's community development plan for a fiscal year (B.E.), usually
    written by its council. One plan per subdistrict and fiscal year."""

    subdistrict = models.ForeignKey("geo.Subdistrict", verbose_name=_("subdistrict"), on_delete=models.PROTECT,
                                    related_name="development_plans")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    council = models.ForeignKey("councils.Council", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="plans")
    title = models.CharField(_("plan title"), max_length=300)
    approved_on = models.DateField(_("approval date"), null=True, blank=True)

    class Meta:
        ordering = ["subdistrict", "-fiscal_year"]
        verbose_name = _("local development plan")
        verbose_name_plural = _("local development plans")
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "fiscal_year"], name="councils_one_plan_per_year"),
        ]

    class Scope:
        area = "subdistrict"
        organisation = "council__organisation"

    def __str__(self) -> str:
        return self.title

    @property
    def audit_subdistrict(self):
        return self.subdistrict

    @property
    def audit_organisation(self):
        return self.council.organisation if self.council_id else None


class PlanItem(models.Model):
    """One line of the plan: the issue, the activity, the budget it needs and who does it."""

    class DoneBy(models.TextChoices):
        COMMUNITY = "community", _("the community itself")
        LOCAL = "local", _("the local administration")
        AGENCY = "agency", _("a government agency")
        JOINT = "joint", _("jointly")

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField(_("no."))
    issue = models.CharField(_("issue"), max_length=300)
    activity = models.CharField(_("activity"), max_length=300)
    budget_needed = models.DecimalField(_("budget needed (baht)"), max_digits=14, decimal_places=2, default=0)
    done_by = models.CharField(_("who does it"), max_length=10, choices=DoneBy.choices, default=DoneBy.COMMUNITY)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="councils_plan_item_number"),
            models.CheckConstraint(condition=models.Q(budget_needed__gte=0), name="councils_plan_item_budget"),
        ]

    class Scope:
        area = "plan__subdistrict"
        organisation = "plan__council__organisation"

    def __str__(self) -> str:
        return f"{self.number}. {self.activity}"


class PlanItemLink(models.Model):
    """A plan item taken into a local administration's or another agency's plan, with the budget it gave
    (0 when it is in the agency's plan but no money was given yet)."""

    class AgencyKind(models.TextChoices):
        LOCAL = "local", _("local administration")
        AGENCY = "agency", _("government agency")
        OTHER = "other", _("other organisation")

    item = models.ForeignKey(PlanItem, on_delete=models.PROTECT, related_name="links")
    agency_kind = models.CharField(_("kind of agency"), max_length=8, choices=AgencyKind.choices)
    local_administration = models.ForeignKey("geo.LocalAdministration", verbose_name=_("local administration"),
                                             null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency_name = models.CharField(_("agency"), max_length=200)
    amount = models.DecimalField(_("budget given (baht)"), max_digits=14, decimal_places=2, default=0)
    fiscal_year = models.PositiveSmallIntegerField(_("budget fiscal year (B.E.)"))

    class Meta:
        ordering = ["item", "id"]
        verbose_name = _("plan item link")
        verbose_name_plural = _("plan item links")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="councils_link_amount")]

    class Scope:
        area = "item__plan__subdistrict"
        organisation = "item__plan__council__organisation"

    def __str__(self) -> str:
        return f"{self.agency_name} {self.amount}"
