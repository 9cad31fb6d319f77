"""Base records every domain shares: organisations and the append-only audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLog(models.Model):
    """One row per write (and per refused access): who did what to which object, and when.

    Append-only: database triggers refuse UPDATE and DELETE (see core/sql/), so not even the application can
    rewrite history. Written by :func:`chumchon.core.audit.audit_record` inside the writing transaction.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subdistrict = models.ForeignKey(
        "geo.Subdistrict", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    class Scope:
        area = "subdistrict"
        organisation = "organisation"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class Organisation(models.Model):
    """Anything that holds members or books in Chumchon (องค์กร): a welfare fund, a community council, a
    registered community organisation, or a national programme.

    Role assignments scoped to "one organisation" point here, so one scoping rule serves every kind.
    The domain record (e.g. :class:`chumchon.welfare.models.Fund`) is one-to-one with it.
    """

    class Kind(models.TextChoices):
        WELFARE_FUND = "welfare_fund", _("community welfare fund")
        COUNCIL = "council", _("community organisation council")
        COMMUNITY_ORGANISATION = "community_org", _("community organisation")
        PROGRAMME = "programme", _("national programme")

    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    subdistrict = models.ForeignKey(
        "geo.Subdistrict", verbose_name=_("subdistrict"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="organisations",
    )
    local_administration = models.ForeignKey(
        "geo.LocalAdministration", verbose_name=_("local administration"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="organisations",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    class Scope:
        area = "subdistrict"
        organisation = "pk"

    def __str__(self) -> str:
        return self.name_th


class OrganisationProfile(models.Model):
    """What every domain record that is one-to-one with an :class:`Organisation` (a fund, a council…) reads
    through it: its code, its name, its subdistrict, and the organisation its audit rows belong to. Subclasses
    declare the ``organisation`` one-to-one field themselves (each with its own ``related_name``)."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.organisation.name_th

    @property
    def code(self) -> str:
        return self.organisation.code

    @property
    def name(self) -> str:
        return self.organisation.name_th

    @property
    def subdistrict(self):
        return self.organisation.subdistrict

    @property
    def audit_organisation(self):
        return self.organisation
