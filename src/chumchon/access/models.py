"""Users and their scoped role assignments."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from chumchon.access.roles import Role, ScopeKind

SCOPE_FIELDS = {
    ScopeKind.REGION: "region",
    ScopeKind.PROVINCE: "province",
    ScopeKind.DISTRICT: "district",
    ScopeKind.SUBDISTRICT: "subdistrict",
    ScopeKind.ORGANISATION: "organisation",
}


class User(AbstractUser):
    """A person who logs in. Linked to their person record when they have one (a member must)."""

    person = models.OneToOneField(
        "people.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="user",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class RoleAssignment(models.Model):
    """A role given to a user over one scope: the whole country, a region, a province, a district, a
    subdistrict, or one organisation (fund, council). The scope column that matches ``scope_kind`` is set and
    the others are empty; the database checks it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    scope_kind = models.CharField(_("scope"), max_length=16, choices=ScopeKind.choices)
    region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey("geo.Province", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("geo.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subdistrict = models.ForeignKey(
        "geo.Subdistrict", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="access_scope_column_matches_kind",
                condition=(
                    models.Q(scope_kind=ScopeKind.NATIONAL, region=None, province=None, district=None,
                             subdistrict=None, organisation=None)
                    | models.Q(scope_kind=ScopeKind.REGION, region__isnull=False, province=None, district=None,
                               subdistrict=None, organisation=None)
                    | models.Q(scope_kind=ScopeKind.PROVINCE, region=None, province__isnull=False, district=None,
                               subdistrict=None, organisation=None)
                    | models.Q(scope_kind=ScopeKind.DISTRICT, region=None, province=None, district__isnull=False,
                               subdistrict=None, organisation=None)
                    | models.Q(scope_kind=ScopeKind.SUBDISTRICT, region=None, province=None, district=None,
                               subdistrict__isnull=False, organisation=None)
                    | models.Q(scope_kind=ScopeKind.ORGANISATION, region=None, province=None, district=None,
                               subdistrict=None, organisation__isnull=False)
                ),
            ),
        ] + [
            models.UniqueConstraint(
                fields=["user", "role", *([field] if field else [])],
                condition=models.Q(scope_kind=kind),
                name=f"access_unique_{kind}_assignment",
            )
            for kind, field in [(ScopeKind.NATIONAL, None), *SCOPE_FIELDS.items()]
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope_label}"

    @property
    def scope_object(self):
        field = SCOPE_FIELDS.get(ScopeKind(self.scope_kind))
        return getattr(self, field) if field else None

    @property
    def scope_label(self) -> str:
        obj = self.scope_object
        return str(obj) if obj is not None else str(ScopeKind(self.scope_kind).label)

    @property
    def audit_organisation(self):
        return self.organisation
