"""One scorecard engine for every assessment the institute runs: strong-community indicators, council quality
grades, welfare-fund quality, borrower-organisation grades.

An :class:`Instrument` is a versioned scorecard (code + fiscal year + revision): dimensions, items with points and
answer types, level bands and a pass threshold. Once an assessment uses a revision it is frozen: editing it makes
the next revision, so a change applies to new assessments only and old scores stay as they were given.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chumchon.core.i18n import in_reader_language

# From an assessment to the councils of its subdistrict (each a core.Organisation's 1:1 pk): they keep the
# subdistrict's own assessments (Assessment.Scope; assessments.services.common.may_assess).
TAMBON_KEEPER = "subdistrict__organisations__council"


def _bilingual(th: str, en: str) -> str:
    return in_reader_language(th, en)


class Instrument(models.Model):
    """แบบประเมิน: one revision of a scorecard, in force from a fiscal year (B.E.)."""

    class SubjectKind(models.TextChoices):
        SUBDISTRICT = "subdistrict", _("subdistrict (tambon)")
        COUNCIL = "council", _("community organisation council")
        WELFARE_FUND = "welfare_fund", _("community welfare fund")
        COMMUNITY_ORGANISATION = "community_org", _("community organisation")

    code = models.SlugField(_("code"), max_length=40)
    fiscal_year = models.PositiveSmallIntegerField(_("in force from fiscal year (B.E.)"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    subject_kind = models.CharField(_("what it assesses"), max_length=16, choices=SubjectKind.choices)
    pass_percent = models.DecimalField(_("pass threshold (percent)"), max_digits=5, decimal_places=2)
    draft_wording = models.BooleanField(
        _("draft wording"), default=False,
        help_text=_("The items are placeholders until national staff replace them with the official wording."))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code", "-fiscal_year", "-revision"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["code", "fiscal_year", "revision"], name="assessments_instrument_version"),
            models.CheckConstraint(condition=models.Q(pass_percent__gte=0, pass_percent__lte=100),
                                   name="assessments_pass_percent_range"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version_label})"

    @property
    def name(self) -> str:
        return _bilingual(self.name_th, self.name_en)

    @property
    def version_label(self) -> str:
        return f"{self.fiscal_year}.{self.revision}"

    @property
    def max_score(self) -> Decimal:
        return sum((item.points for item in self.items.all()), Decimal("0"))


class Dimension(models.Model):
    """มิติ: a group of items (e.g. "quality of people"); the year-on-year chart compares dimensions."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="dimensions")
    number = models.PositiveSmallIntegerField(_("no."))
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["instrument", "number"]
        constraints = [models.UniqueConstraint(fields=["instrument", "number"], name="assessments_dimension_number")]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def name(self) -> str:
        return _bilingual(self.name_th, self.name_en)


class Item(models.Model):
    """ตัวชี้วัด: one question with its points and how it is answered.

    - yes/no: the answer is 1 (yes) or 0 (no); yes earns the points;
    - scale: 0 … ``scale_max``; earns points × answer ÷ scale_max;
    - number: a count or amount ≥ 0 (at most ``number_max`` when set); earns points × min(answer ÷ target, 1).
    """

    class AnswerType(models.TextChoices):
        YES_NO = "yes_no", _("yes / no")
        SCALE = "scale", _("scale")
        NUMBER = "number", _("number")

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=12)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_th = models.CharField(_("item (Thai)"), max_length=400)
    text_en = models.CharField(_("item (English)"), max_length=400, blank=True)
    answer_type = models.CharField(_("answer type"), max_length=8, choices=AnswerType.choices)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    scale_max = models.PositiveSmallIntegerField(_("highest scale value"), null=True, blank=True)
    number_target = models.DecimalField(_("target (full points)"), max_digits=14, decimal_places=2, null=True,
                                        blank=True)
    number_max = models.DecimalField(_("largest possible answer"), max_digits=14, decimal_places=2, null=True,
                                     blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)

    class Meta:
        ordering = ["instrument", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="assessments_item_code"),
            models.CheckConstraint(condition=models.Q(points__gt=0), name="assessments_item_points_positive"),
            models.CheckConstraint(
                condition=~models.Q(answer_type="scale") | models.Q(scale_max__gte=1),
                name="assessments_item_scale_has_max"),
            models.CheckConstraint(
                condition=~models.Q(answer_type="number") | models.Q(number_target__gt=0),
                name="assessments_item_number_has_target"),
        ]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def text(self) -> str:
        return _bilingual(self.text_th, self.text_en)


class LevelBand(models.Model):
    """ระดับ: a level reached at or above ``min_percent`` (e.g. Excellent ≥ 90 %, grade A ≥ 80 %). The level of
    an assessment is the band with the highest minimum it reaches; below every band it has no level."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="bands")
    code = models.CharField(_("code"), max_length=20)
    label_th = models.CharField(_("label (Thai)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    min_percent = models.DecimalField(_("from (percent)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["instrument", "-min_percent"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="assessments_band_code"),
            models.UniqueConstraint(fields=["instrument", "min_percent"], name="assessments_band_min"),
            models.CheckConstraint(condition=models.Q(min_percent__gte=0, min_percent__lte=100),
                                   name="assessments_band_range"),
        ]
        verbose_name = _("level band")
        verbose_name_plural = _("level bands")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _bilingual(self.label_th, self.label_en)


def subject_key(*, subdistrict=None, organisation=None) -> str:
    """What an assessment is of, as one key: ``org:<organisation code>`` or ``sub:<DOPA code>``."""
    return f"org:{organisation.code}" if organisation is not None else f"sub:{subdistrict.code}"


class Assessment(models.Model):
    """การประเมิน: one subject assessed with one instrument revision for a fiscal year, by itself (self-assessment)
    or by reviewers. Score, percent, level and dimension scores are computed by the engine when it is submitted
    and kept as given (a later instrument edit does not change them)."""

    class Mode(models.TextChoices):
        SELF = "self", _("self-assessment")
        REVIEW = "review", _("reviewed assessment")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted and scored")

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    instrument_code = models.SlugField(max_length=40, editable=False)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    mode = models.CharField(_("kind"), max_length=8, choices=Mode.choices, default=Mode.SELF)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    subdistrict = models.ForeignKey("geo.Subdistrict", verbose_name=_("subdistrict"), on_delete=models.PROTECT,
                                    related_name="assessments")
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="assessments")
    subject_key = models.CharField(max_length=40, editable=False,
                                   help_text="sub:<DOPA code> or org:<organisation code>; one per instrument, "
                                             "fiscal year and kind")
    assessors = models.CharField(_("assessors"), max_length=300, blank=True)
    assessed_on = models.DateField(_("assessment date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("full score"), max_digits=8, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2, null=True, blank=True)
    level_code = models.CharField(_("level"), max_length=20, blank=True)
    level_label_th = models.CharField(max_length=100, blank=True)
    level_label_en = models.CharField(max_length=100, blank=True)
    passed = models.BooleanField(_("passed"), null=True)
    dimension_scores = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-fiscal_year", "instrument_code", "subject_key"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["instrument_code", "fiscal_year", "mode", "subject_key"],
                                    name="assessments_one_per_subject_year"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=models.F("max_score")),
                name="assessments_score_within_max"),
        ]
        indexes = [models.Index(fields=["instrument_code", "subject_key", "fiscal_year"])]

    class Scope:
        area = "subdistrict"
        # An organisation's assessment is that organisation's; a subdistrict's (the strong-community indicators)
        # is also kept by the council of that subdistrict, whose officer may be scoped to the council alone.
        organisation = ("organisation", TAMBON_KEEPER)
        organisation_where = {TAMBON_KEEPER: models.Q(organisation__isnull=True)}

    def __str__(self) -> str:
        return f"{self.instrument_code} {self.subject_key} {self.fiscal_year}"

    @property
    def level_label(self) -> str:
        return _bilingual(self.level_label_th, self.level_label_en)

    @property
    def subject_name(self) -> str:
        return self.organisation.name_th if self.organisation_id else f"ตำบล{self.subdistrict.name_th}"

    @property
    def audit_subdistrict(self):
        return self.subdistrict

    @property
    def audit_organisation(self):
        return self.organisation


class Answer(models.Model):
    """คำตอบ: the answer to one item, its evidence, and the points it earned (set by the engine)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.DecimalField(_("answer"), max_digits=14, decimal_places=2)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="assessments/%Y/", blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=0)

    class Meta:
        ordering = ["assessment", "item__order", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="assessments_one_answer_per_item"),
            models.CheckConstraint(condition=models.Q(points__gte=0), name="assessments_answer_points"),
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    class Scope:
        area = "assessment__subdistrict"
        organisation = ("assessment__organisation", f"assessment__{TAMBON_KEEPER}")
        organisation_where = {f"assessment__{TAMBON_KEEPER}": models.Q(assessment__organisation__isnull=True)}

    def __str__(self) -> str:
        return f"{self.item.code}={self.value}"
