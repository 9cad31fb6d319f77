"""People (บุคคล) and households, with personal data kept apart as PDPA asks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Title(models.TextChoices):
    MR = "นาย", _("Mr")
    MRS = "นาง", _("Mrs")
    MISS = "นางสาว", _("Miss")
    MASTER = "เด็กชาย", _("Master (boy)")
    GIRL = "เด็กหญิง", _("Miss (girl)")
    MONK = "พระ", _("Venerable (monk)")
    OTHER = "", _("(none)")


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")
    UNSPECIFIED = "U", _("not stated")


def sex_from_title(title: str) -> str:
    """The sex a Thai title says (นาย, เด็กชาย and พระ are men's; นาง, นางสาว and เด็กหญิง women's), or not stated."""
    if title in (Title.MR, Title.MASTER, Title.MONK):
        return Sex.MALE.value
    if title in (Title.MRS, Title.MISS, Title.GIRL):
        return Sex.FEMALE.value
    return Sex.UNSPECIFIED.value


class Household(models.Model):
    """ครัวเรือน: people who live together at one address in a village."""

    code = models.CharField(_("household code"), max_length=32, unique=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    village_number = models.PositiveSmallIntegerField(_("village number (Moo)"), null=True, blank=True)
    subdistrict = models.ForeignKey(
        "geo.Subdistrict", verbose_name=_("subdistrict"), on_delete=models.PROTECT, related_name="households"
    )
    registered_by = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["subdistrict", "village_number", "house_number"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    class Scope:
        area = "subdistrict"
        organisation = ("registered_by", "members__memberships__fund")

    def __str__(self) -> str:
        return self.code

    @property
    def audit_subdistrict(self):
        return self.subdistrict


class Person(models.Model):
    """บุคคล: someone the system knows — a member, a beneficiary, a committee member, a dependant.

    Names and address are here; the national ID and contact details are in :class:`PersonalData`, a
    separate table shown masked unless the viewer's role needs it.
    """

    title = models.CharField(_("title"), max_length=16, choices=Title.choices, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNSPECIFIED)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    village_number = models.PositiveSmallIntegerField(_("village number (Moo)"), null=True, blank=True)
    subdistrict = models.ForeignKey(
        "geo.Subdistrict", verbose_name=_("subdistrict"), on_delete=models.PROTECT, related_name="people"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="members",
    )
    registered_by = models.ForeignKey(
        "core.Organisation", verbose_name=_("registered by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["first_name", "last_name", "id"]
        indexes = [models.Index(fields=["subdistrict", "village_number"])]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    class Scope:
        area = "subdistrict"
        organisation = ("registered_by", "memberships__fund")
        person = "pk"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.title}{self.first_name} {self.last_name}".strip()

    @property
    def audit_subdistrict(self):
        return self.subdistrict


class PersonalData(models.Model):
    """ข้อมูลส่วนบุคคล: the national ID and contact details of a person, in their own table under a surrogate
    key. Read only through :mod:`chumchon.people.services`, which masks or logs every unmasked view."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="personal_data")
    national_id = models.CharField(_("national ID"), max_length=13, null=True, blank=True, unique=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    line_id = models.CharField(_("LINE ID"), max_length=50, blank=True)
    consent_health_data = models.DateTimeField(
        _("consent to health data recorded"), null=True, blank=True,
        help_text=_("PDPA section 26: explicit consent for health and disability data."),
    )

    class Meta:
        verbose_name = _("personal data")
        verbose_name_plural = _("personal data")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(national_id__isnull=True) | models.Q(national_id__regex=r"^[1-8][0-9]{12}$"),
                name="people_national_id_13_digits",
            )
        ]

    def __str__(self) -> str:
        return f"personal data #{self.pk}"


class PersonalDataAccess(models.Model):
    """บันทึกการเข้าถึงข้อมูลส่วนบุคคล: each time someone saw a person's unmasked personal data or exported it:
    who, whose, why and when. Append-only (database triggers)."""

    class Kind(models.TextChoices):
        VIEW = "view", _("viewed unmasked")
        EXPORT = "export", _("exported (right of access)")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="personal_data_accesses")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    purpose = models.CharField(_("purpose"), max_length=200)
    fields = models.CharField(_("fields"), max_length=200)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    class Scope:
        area = "person__subdistrict"
        organisation = ("person__registered_by", "person__memberships__fund")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} → {self.person_id} ({self.kind})"
