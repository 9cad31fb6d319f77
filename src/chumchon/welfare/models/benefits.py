"""Benefits from birth to funeral: the catalogue, each fund's versioned rules, dependants, and claims."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from chumchon.core.i18n import in_reader_language
from chumchon.ledger.models import MONEY
from chumchon.welfare.models.fields import document_created


class BenefitKind(models.Model):
    """ประเภทสวัสดิการ: a standard kind of benefit (newborn, hospital stay, funeral…), with the expense account
    its payouts post to. ``health_data`` kinds carry health or disability data: a claim needs recorded explicit
    consent (PDPA s.26)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    expense_account = models.CharField(_("expense account (standard code)"), max_length=20)
    unit_th = models.CharField(_("unit (Thai)"), max_length=20, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=20, blank=True)
    health_data = models.BooleanField(_("carries health or disability data"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("benefit kind")
        verbose_name_plural = _("benefit kinds")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "th").startswith("en") else self.name_th

    @property
    def unit(self) -> str:
        """The unit a claim counts (คืน, night) in the reader's language."""
        return in_reader_language(self.unit_th, self.unit_en)


class BenefitRule(models.Model):
    """ระเบียบสวัสดิการ: how one fund pays one kind of benefit from a date on. A claim is judged under the rule
    in force on its event date (the newest ``effective_from`` not after it)."""

    class AmountType(models.TextChoices):
        FIXED = "fixed", _("fixed amount per event")
        PER_UNIT = "per_unit", _("amount per unit (e.g. per night)")
        TIERED = "tiered", _("by years of membership")
        PERIODIC = "periodic", _("periodic (pension)")

    class Beneficiary(models.TextChoices):
        MEMBER = "member", _("the member")
        DEPENDANT = "dependant", _("a dependant")
        EITHER = "either", _("the member or a dependant")

    class Period(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        YEARLY = "yearly", _("yearly")

    fund = models.ForeignKey("welfare.Fund", on_delete=models.PROTECT, related_name="benefit_rules")
    kind = models.ForeignKey(BenefitKind, on_delete=models.PROTECT, related_name="rules")
    effective_from = models.DateField(_("in force from"))
    is_offered = models.BooleanField(_("offered"), default=True)
    waiting_days = models.PositiveIntegerField(_("waiting period (days of membership)"), default=180)
    arrears_tolerance_days = models.PositiveIntegerField(_("arrears allowed (days)"), default=90)
    amount_type = models.CharField(_("amount"), max_length=10, choices=AmountType.choices, default=AmountType.FIXED)
    amount = models.DecimalField(_("amount (fixed or per period)"), default=0, **MONEY)
    unit_amount = models.DecimalField(_("amount per unit"), default=0, **MONEY)
    tiers = models.JSONField(_("tiers"), default=list, blank=True,
                             help_text=_('Years of membership and amount, e.g. [{"years": 0, "amount": "3000"}, '
                                         '{"years": 5, "amount": "10000"}].'))
    period = models.CharField(_("period"), max_length=8, choices=Period.choices, blank=True)
    cap_per_event = models.DecimalField(_("cap per event"), null=True, blank=True, **MONEY)
    cap_per_year = models.DecimalField(_("cap per fiscal year"), null=True, blank=True, **MONEY)
    cap_lifetime = models.DecimalField(_("cap per lifetime"), null=True, blank=True, **MONEY)
    min_age = models.PositiveSmallIntegerField(_("minimum age of the beneficiary"), null=True, blank=True)
    beneficiary = models.CharField(_("who may receive"), max_length=10, choices=Beneficiary.choices,
                                   default=Beneficiary.MEMBER)
    evidence_required = models.CharField(_("evidence required"), max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["fund", "kind", "-effective_from"]
        verbose_name = _("benefit rule")
        verbose_name_plural = _("benefit rules")
        constraints = [
            models.UniqueConstraint(fields=["fund", "kind", "effective_from"], name="welfare_rule_version_unique"),
        ]

    class Scope:
        area = "fund__organisation__subdistrict"
        organisation = "fund"

    def __str__(self) -> str:
        return f"{self.kind} ({self.effective_from})"


class Dependant(models.Model):
    """ผู้อยู่ในอุปการะ: someone a member's benefits may go to (a child, a parent, a spouse)."""

    membership = models.ForeignKey("welfare.Membership", on_delete=models.PROTECT, related_name="dependants")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="dependant_of")
    relation = models.CharField(_("relation"), max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["membership", "person"], name="welfare_dependant_unique")]

    class Scope:
        area = "membership__fund__organisation__subdistrict"
        organisation = "membership__fund"
        person = "membership__person"

    def __str__(self) -> str:
        return f"{self.person} ({self.relation})"


class ClaimQuerySet(models.QuerySet):
    def paid(self):
        """Claims paid and their payment standing (not cancelled: :class:`ClaimPaymentVoid`) — the benefits the
        fund has given, as reports, caps and the refund rule count them."""
        return self.filter(status="paid", payment_void__isnull=True)


class Claim(models.Model):
    """คำขอรับสวัสดิการ: submitted with evidence → checked against the rule in force on the event date →
    decided by a committee member other than the submitter → paid (a ledger posting and a voucher) or rejected
    with a reason."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        PAID = "paid", _("paid")

    fund = models.ForeignKey("welfare.Fund", on_delete=models.PROTECT, related_name="claims")
    membership = models.ForeignKey("welfare.Membership", on_delete=models.PROTECT, related_name="claims")
    kind = models.ForeignKey(BenefitKind, on_delete=models.PROTECT, related_name="claims")
    rule = models.ForeignKey(BenefitRule, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    beneficiary = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="benefit_claims")
    event_date = models.DateField(_("date of the event"))
    units = models.DecimalField(_("units (nights, days…)"), max_digits=8, decimal_places=2, default=1)
    amount = models.DecimalField(_("amount payable"), default=0, **MONEY)
    eligible = models.BooleanField(_("eligible under the rules"), default=False)
    explanation = models.JSONField(_("decision explained"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    consent_at = models.DateTimeField(_("explicit consent to health data recorded"), null=True, blank=True)
    submitted_by = models.ForeignKey("access.User", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    decided_by = models.ForeignKey("access.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    entry = models.OneToOneField("ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="claim")
    voucher_number = models.CharField(_("voucher number"), max_length=20, blank=True)
    batch = models.CharField(_("periodic batch"), max_length=40, blank=True)
    idempotency_key = models.CharField(max_length=100)
    created = document_created()

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-event_date", "-id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.UniqueConstraint(fields=["fund", "idempotency_key"], name="welfare_claim_key_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="welfare_claim_amount"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("submitted_by")),
                name="welfare_claim_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | (Q(entry__isnull=False) & ~Q(voucher_number="")),
                name="welfare_claim_paid_has_voucher",
            ),
        ]
        indexes = [models.Index(fields=["membership", "kind", "event_date"])]

    class Scope:
        area = "fund__organisation__subdistrict"
        organisation = "fund"
        person = "membership__person"

    def __str__(self) -> str:
        return f"{self.kind} {self.event_date} {self.amount}"

    @property
    def cancellation(self) -> "ClaimPaymentVoid | None":
        """The payment's cancellation, or None (select_related("payment_void") reads it with the claim)."""
        try:
            return self.payment_void
        except ClaimPaymentVoid.DoesNotExist:
            return None

    @property
    def document_label(self) -> str:
        """How the books name it (:func:`chumchon.ledger.services.entry_documents`)."""
        return f"ใบสำคัญจ่าย {self.voucher_number} (payment voucher)" if self.voucher_number else f"claim {self.pk}"

    @property
    def document_url(self) -> str:
        return reverse("welfare:claim_detail", args=[self.fund.code, self.pk])


class ClaimPaymentVoid(models.Model):
    """การยกเลิกใบสำคัญจ่าย: a benefit paid by mistake (the wrong member, the wrong amount, a claim that should not
    have been approved), its payment cancelled once the money is back. The claim stays paid in its own row, which
    never changes (welfare/sql/claims_final); this record says who cancelled it, when and why, and points at the
    correcting entry (Dr the cash it was paid from, Cr the benefit's expense, dated the payment's own day). A
    cancelled claim no longer counts as a benefit received (caps, reports, the refund rule); the right benefit is
    claimed anew. Written once, never changed (welfare/sql/claim_voids)."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="payment_void")
    fund = models.ForeignKey("welfare.Fund", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    entry = models.OneToOneField("ledger.JournalEntry", on_delete=models.PROTECT, related_name="claim_payment_void")
    idempotency_key = models.CharField(max_length=100)
    voided_by = models.ForeignKey("access.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created = document_created()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("payment cancellation")
        verbose_name_plural = _("payment cancellations")
        constraints = [models.UniqueConstraint(fields=["fund", "idempotency_key"],
                                               name="welfare_claim_void_key_unique")]

    class Scope:
        area = "fund__organisation__subdistrict"
        organisation = "fund"
        person = "claim__membership__person"

    def __str__(self) -> str:
        return f"void claim {self.claim_id}"

    @property
    def document_label(self) -> str:
        return f"ยกเลิกใบสำคัญจ่าย {self.claim.voucher_number} (payment voucher cancelled)"

    @property
    def document_url(self) -> str:
        return self.claim.document_url


class ClaimEvidence(models.Model):
    """A document attached to a claim (a hospital certificate, a death certificate)."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("file"), upload_to="claims/%Y/%m/")
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded = models.DateTimeField(auto_now_add=True)

    class Scope:
        area = "claim__fund__organisation__subdistrict"
        organisation = "claim__fund"
        person = "claim__membership__person"

    def __str__(self) -> str:
        return self.description or self.file.name
