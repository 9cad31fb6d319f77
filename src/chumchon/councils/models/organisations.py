"""Community organisations (กลุ่ม/องค์กรชุมชน) and their registration (จดแจ้ง) with a council."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommunityOrganization(models.Model):
    """กลุ่ม/องค์กรชุมชน: a savings group, an occupation group, an elderly club … Its :class:`core.Organisation`
    row (kind ``community_org``) holds its code, name and subdistrict."""

    class Kind(models.TextChoices):
        SAVINGS = "savings", _("savings group")
        OCCUPATION = "occupation", _("occupation group")
        ELDERLY = "elderly", _("elderly club")
        WOMEN = "women", _("women's group")
        YOUTH = "youth", _("youth group")
        COOPERATIVE = "cooperative", _("cooperative")
        HOUSING = "housing", _("housing community")
        NETWORK = "network", _("network")
        WELFARE = "welfare", _("welfare group")
        ENVIRONMENT = "environment", _("natural resources and environment group")
        CULTURE = "culture", _("culture and tradition group")
        OTHER = "other", _("other")

    organisation = models.OneToOneField(
        "core.Organisation", primary_key=True, on_delete=models.PROTECT, related_name="community_organization"
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    village_number = models.PositiveSmallIntegerField(_("village number (Moo)"), null=True, blank=True)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    members_count = models.PositiveIntegerField(_("members"), default=0)
    leaders = models.CharField(_("leaders"), max_length=300, blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)

    class Meta:
        ordering = ["organisation__code"]
        verbose_name = _("community organisation")
        verbose_name_plural = _("community organisations")

    class Scope:
        area = "organisation__subdistrict"
        organisation = ("organisation", "registrations__council__organisation")

    def __str__(self) -> str:
        return self.organisation.name_th

    @property
    def code(self) -> str:
        return self.organisation.code

    @property
    def name(self) -> str:
        return self.organisation.name_th

    @property
    def audit_organisation(self):
        return self.organisation

    @property
    def audit_subdistrict(self):
        return self.organisation.subdistrict


class Registration(models.Model):
    """จดแจ้ง: a community organisation registered with a council (number, date, documents presented), until
    it is de-registered. An organisation holds one live registration per council (the database refuses a
    second)."""

    council = models.ForeignKey("councils.Council", on_delete=models.PROTECT, related_name="registrations")
    organization = models.ForeignKey(CommunityOrganization, on_delete=models.PROTECT, related_name="registrations")
    number = models.CharField(_("registration number"), max_length=40)
    registered_on = models.DateField(_("registration date"))
    documents = models.TextField(_("documents presented"), blank=True)
    document_file = models.FileField(_("document file"), upload_to="councils/registrations/%Y/", blank=True)
    deregistered_on = models.DateField(_("de-registration date"), null=True, blank=True)
    deregistration_reason = models.CharField(_("reason for de-registration"), max_length=300, blank=True)

    class Meta:
        ordering = ["council", "number"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["council", "number"], name="councils_registration_number_in_council"),
            models.UniqueConstraint(fields=["council", "organization"], condition=models.Q(deregistered_on=None),
                                    name="councils_one_live_registration"),
            models.CheckConstraint(
                condition=models.Q(deregistered_on=None) | models.Q(deregistered_on__gte=models.F("registered_on")),
                name="councils_deregistration_after_registration",
            ),
        ]

    class Scope:
        area = "council__organisation__subdistrict"
        organisation = ("council__organisation", "organization__organisation")

    def __str__(self) -> str:
        return f"{self.council.code}/{self.number}"

    @property
    def is_live(self) -> bool:
        return self.deregistered_on is None

    @property
    def audit_organisation(self):
        return self.council.organisation
