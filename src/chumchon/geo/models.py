"""Thailand's administrative geography with DOPA codes, region groupings, local administrations, villages."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class NamedArea(models.Model):
    """An area with a DOPA code as its key and a Thai and English name."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name_th = models.CharField(_("name (Thai)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the current language (Thai unless English was chosen)."""
        return self.name_en if (get_language() or "th").startswith("en") else self.name_th


class Province(NamedArea):
    """จังหวัด: one of the 77 provinces (2-digit DOPA code, e.g. 10 = Bangkok)."""

    class Meta(NamedArea.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class District(NamedArea):
    """อำเภอ / เขต: one of the 928 districts (4-digit DOPA code)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")

    class Meta(NamedArea.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Subdistrict(NamedArea):
    """ตำบล / แขวง: one of the 7,436 subdistricts (6-digit DOPA code). The tambon is where welfare funds and
    community councils live. The province is stored too, so scoping by province needs one join less."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="subdistricts")
    postal_codes = models.CharField(_("postal codes"), max_length=60, blank=True)

    class Meta(NamedArea.Meta):
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")


class RegionScheme(models.Model):
    """A way of grouping provinces into regions (ภาค). Kept as data: the default is the NSO-style seven
    groups; others (e.g. the institute's regional offices) can be loaded beside it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    source = models.TextField(_("source"), blank=True)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        ordering = ["-is_default", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="geo_one_default_region_scheme"
            )
        ]

    def __str__(self) -> str:
        return self.name_th


class Region(models.Model):
    """ภาค: a named group of provinces within a scheme."""

    scheme = models.ForeignKey(RegionScheme, on_delete=models.CASCADE, related_name="regions")
    code = models.SlugField(_("code"), max_length=40)
    name_th = models.CharField(_("name (Thai)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    provinces = models.ManyToManyField(Province, related_name="regions")

    class Meta:
        ordering = ["scheme", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="geo_region_code_in_scheme")]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "th").startswith("en") else self.name_th


class LocalAdministration(models.Model):
    """องค์กรปกครองส่วนท้องถิ่น: a subdistrict administrative organisation (อบต.) or municipality (เทศบาล).
    Users add them; each has an office in one subdistrict and covers one or more subdistricts."""

    class Kind(models.TextChoices):
        SAO = "sao", _("subdistrict administrative organisation (SAO)")
        SUBDISTRICT_MUNICIPALITY = "tambon_municipality", _("subdistrict municipality")
        TOWN_MUNICIPALITY = "town_municipality", _("town municipality")
        CITY_MUNICIPALITY = "city_municipality", _("city municipality")
        PAO = "pao", _("provincial administrative organisation")
        SPECIAL = "special", _("special local administration (Bangkok, Pattaya)")

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    dla_code = models.CharField(
        _("DLA code"), max_length=10, null=True, blank=True, unique=True,
        help_text=_("The Department of Local Administration's code, when known."),
    )
    subdistrict = models.ForeignKey(
        Subdistrict, verbose_name=_("office subdistrict"), on_delete=models.PROTECT,
        related_name="local_administrations",
    )
    covers = models.ManyToManyField(Subdistrict, verbose_name=_("subdistricts covered"), related_name="+", blank=True)

    class Meta:
        ordering = ["subdistrict", "name_th"]
        verbose_name = _("local administration")
        verbose_name_plural = _("local administrations")
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "name_th"], name="geo_localadmin_name_in_subdistrict")
        ]

    class Scope:
        area = "subdistrict"

    def __str__(self) -> str:
        return self.name_th

    @property
    def audit_subdistrict(self):
        return self.subdistrict


class Village(models.Model):
    """หมู่บ้าน: a village, known by its number (หมู่ที่) within a subdistrict; the name is optional."""

    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="villages")
    number = models.PositiveSmallIntegerField(_("village number"))
    name_th = models.CharField(_("village name"), max_length=120, blank=True)

    class Meta:
        ordering = ["subdistrict", "number"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "number"], name="geo_village_number_in_subdistrict"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="geo_village_number_positive"),
        ]
        verbose_name = _("village")
        verbose_name_plural = _("villages")

    class Scope:
        area = "subdistrict"

    def __str__(self) -> str:
        label = _("Moo %(n)s") % {"n": self.number}
        return f"{label} {self.name_th}".strip()
