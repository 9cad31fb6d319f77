"""Money in: members' contributions (วันละบาท), collection sheets, receipts, and matching grants."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chumchon.ledger.models import MONEY, FundSource
from chumchon.welfare.models.fields import document_created


class ReceiptSequence(models.Model):
    """The last document number a fund issued in a fiscal year, per kind (receipts ใบเสร็จ, payment vouchers
    ใบสำคัญจ่าย): numbers restart at 1 every October."""

    class Kind(models.TextChoices):
        RECEIPT = "RC", _("receipt")
        VOUCHER = "PV", _("payment voucher")

    fund = models.ForeignKey("welfare.Fund", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=2, choices=Kind.choices, default=Kind.RECEIPT)
    fiscal_year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "kind", "fiscal_year"], name="welfare_document_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}{self.fiscal_year}-{self.last_number:05d}"


class CollectionSheet(models.Model):
    """ใบเก็บเงินสมทบ: collection day for one village — every member's payment entered on one screen and
    posted in one go, as one journal entry."""

    class Status(models.TextChoices):
        POSTED = "posted", _("posted")

    fund = models.ForeignKey("welfare.Fund", on_delete=models.PROTECT, related_name="collection_sheets")
    village_number = models.PositiveSmallIntegerField(_("village number (Moo)"), null=True, blank=True)
    date = models.DateField(_("collection date"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.POSTED)
    entry = models.OneToOneField("ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="collection_sheet")
    idempotency_key = models.CharField(max_length=100)
    created_by = models.ForeignKey("access.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created = document_created()

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["fund", "idempotency_key"], name="welfare_sheet_key_unique")]

    class Scope:
        area = "fund__organisation__subdistrict"
        organisation = "fund"

    def __str__(self) -> str:
        return f"{self.fund_id} Moo {self.village_number} {self.date}"

    @property
    def document_label(self) -> str:
        """How the books name it (:func:`chumchon.ledger.services.entry_documents`)."""
        return f"ใบเก็บเงินสมทบ หมู่ {self.village_number} (collection sheet)"


class ContributionQuerySet(models.QuerySet):
    def standing(self):
        """Receipts not cancelled (:class:`ContributionVoid`): the money the fund holds. A cancelled receipt keeps
        its number and stays on the member's record, marked; figures and re-importable exports leave it out."""
        return self.filter(void__isnull=True)


class Contribution(models.Model):
    """เงินสมทบ: one payment by a member, covering a span of days; numbered per fiscal year; posted to the
    ledger (alone, or with its collection sheet). Never changed: a wrong receipt is cancelled
    (:class:`ContributionVoid`) and a right one issued."""

    # No index of their own on fund, membership and recorder: (fund, receipt) and (membership, date) lead with the
    # first two, nobody looks receipts up by recorder, and every index is paid on every receipt written (a fund's
    # imported history is millions of rows; see docs/benchmarks.md, import). Sheet's index is partial (Meta).
    # The fund, the member and the journal entry have no foreign key: the database checks something stronger,
    # that the receipt's member and its journal entry exist and belong to this fund (welfare/sql/money_belongs:
    # once a statement on PostgreSQL, set-based), and keeps them there while the receipt is (money_parents: a
    # member or entry with receipts is not removed; the member's own key to the fund keeps the fund). A key here
    # was one more check a receipt, on PostgreSQL a trigger query each at commit, paid by every imported receipt
    # (docs/benchmarks.md, import). The ORM still refuses to delete them (PROTECT).
    fund = models.ForeignKey("welfare.Fund", on_delete=models.PROTECT, related_name="contributions", db_index=False,
                             db_constraint=False)
    membership = models.ForeignKey("welfare.Membership", on_delete=models.PROTECT, related_name="contributions",
                                   db_index=False, db_constraint=False)
    receipt_number = models.CharField(_("receipt number"), max_length=20)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    date = models.DateField(_("date paid"))
    amount = models.DecimalField(_("amount"), **MONEY)
    days = models.PositiveIntegerField(_("days covered"))
    covers_from = models.DateField(_("covers from"))
    covers_to = models.DateField(_("covers to"))
    sheet = models.ForeignKey(CollectionSheet, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="contributions", db_index=False)
    entry = models.ForeignKey("ledger.JournalEntry", on_delete=models.PROTECT, related_name="contributions",
                              db_constraint=False)
    # The key a counter payment or a collection sheet was sent with (a retry finds its receipt by it). An imported
    # receipt has none (NULL): its natural key, fund + receipt number, is already unique, and the key's index,
    # partial, holds only receipts that have one — an index entry fewer for each of millions of imported receipts.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    recorded_by = models.ForeignKey("access.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    created = document_created()

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(fields=["fund", "receipt_number"], name="welfare_receipt_number_unique"),
            models.UniqueConstraint(fields=["fund", "idempotency_key"], condition=Q(idempotency_key__isnull=False),
                                    name="welfare_contribution_key_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="welfare_contribution_positive"),
            models.CheckConstraint(condition=Q(covers_to__gte=models.F("covers_from")),
                                   name="welfare_contribution_span"),
        ]
        # Only receipts from a collection sheet are looked up by sheet: imported history (no sheet) skips that index.
        indexes = [models.Index(fields=["membership", "date"]),
                   models.Index(fields=["sheet"], condition=Q(sheet__isnull=False), name="welfare_contribution_sheet")]

    class Scope:
        area = "fund__organisation__subdistrict"
        organisation = "fund"
        person = "membership__person"

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.amount}"

    @property
    def cancellation(self) -> "ContributionVoid | None":
        """The receipt's cancellation, or None while it stands (select_related("void") reads it with the receipt)."""
        try:
            return self.void
        except ContributionVoid.DoesNotExist:
            return None

    @property
    def document_label(self) -> str:
        return f"ใบเสร็จ {self.receipt_number} (receipt)"

    @property
    def document_url(self) -> str:
        return reverse("welfare:receipt", args=[self.fund.code, self.receipt_number])


class ContributionVoid(models.Model):
    """การยกเลิกใบเสร็จ: a receipt issued by mistake (the wrong member, the wrong amount, money never received),
    cancelled. The receipt keeps its number and its row; this record says who cancelled it, when and why, and
    points at the correcting journal entry (Dr contributions, Cr the cash the receipt went to, dated the receipt's
    own day), and the member's paid-through date goes back to where the receipt had found it. Written once,
    never changed or removed (welfare/sql/receipt_voids)."""

    contribution = models.OneToOneField(Contribution, on_delete=models.PROTECT, related_name="void",
                                        verbose_name=_("receipt"))
    fund = models.ForeignKey("welfare.Fund", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    entry = models.OneToOneField("ledger.JournalEntry", on_delete=models.PROTECT, related_name="contribution_void")
    paid_through_before = models.DateField(null=True, blank=True)
    paid_through_after = models.DateField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=100)
    voided_by = models.ForeignKey("access.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created = document_created()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("receipt cancellation")
        verbose_name_plural = _("receipt cancellations")
        constraints = [models.UniqueConstraint(fields=["fund", "idempotency_key"], name="welfare_void_key_unique")]

    class Scope:
        area = "fund__organisation__subdistrict"
        organisation = "fund"
        person = "contribution__membership__person"

    def __str__(self) -> str:
        return f"void {self.contribution_id}"

    @property
    def document_label(self) -> str:
        return f"ยกเลิกใบเสร็จ {self.contribution.receipt_number} (receipt cancelled)"

    @property
    def document_url(self) -> str:
        return self.contribution.document_url


class ContributionRefund(models.Model):
    """เงินสมทบคืน: a resigning member's contributions paid back, where the fund's regulations allow it (a member
    who never received a benefit: :attr:`Fund.refund_on_resignation`). Once a membership; paid with a payment
    voucher (PV number), Dr 5303 refunds / Cr cash. Written once, never changed (welfare/sql/refunds)."""

    membership = models.OneToOneField("welfare.Membership", on_delete=models.PROTECT, related_name="refund")
    fund = models.ForeignKey("welfare.Fund", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date paid"))
    amount = models.DecimalField(_("amount"), **MONEY)
    receipts = models.PositiveIntegerField(_("receipts refunded"))
    voucher_number = models.CharField(_("voucher number"), max_length=20)
    entry = models.OneToOneField("ledger.JournalEntry", on_delete=models.PROTECT, related_name="contribution_refund")
    idempotency_key = models.CharField(max_length=100)
    paid_by = models.ForeignKey("access.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created = document_created()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("contribution refund")
        verbose_name_plural = _("contribution refunds")
        constraints = [
            models.UniqueConstraint(fields=["fund", "idempotency_key"], name="welfare_refund_key_unique"),
            models.UniqueConstraint(fields=["fund", "voucher_number"], name="welfare_refund_voucher_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="welfare_refund_positive"),
        ]

    class Scope:
        area = "fund__organisation__subdistrict"
        organisation = "fund"
        person = "membership__person"

    def __str__(self) -> str:
        return f"{self.voucher_number} {self.amount}"

    @property
    def document_label(self) -> str:
        return f"ใบสำคัญจ่าย {self.voucher_number} เงินสมทบคืน (contributions refunded)"

    @property
    def document_url(self) -> str:
        return reverse("welfare:member_detail", args=[self.fund.code, self.membership.member_number])


class Grant(models.Model):
    """เงินสมทบจากภายนอก: matching money from government via the institute, a local administration, or a donor,
    posted under its fund source."""

    fund = models.ForeignKey("welfare.Fund", on_delete=models.PROTECT, related_name="grants")
    source = models.CharField(_("source"), max_length=12, choices=[
        (FundSource.GOVERNMENT, FundSource.GOVERNMENT.label), (FundSource.LOCAL, FundSource.LOCAL.label),
        (FundSource.DONATIONS, FundSource.DONATIONS.label), (FundSource.OTHER, FundSource.OTHER.label)])
    date = models.DateField(_("date received"))
    amount = models.DecimalField(_("amount"), **MONEY)
    members_covered = models.PositiveIntegerField(_("members it matches"), default=0)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    entry = models.OneToOneField("ledger.JournalEntry", on_delete=models.PROTECT, related_name="grant")
    idempotency_key = models.CharField(max_length=100)
    created = document_created()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.UniqueConstraint(fields=["fund", "idempotency_key"], name="welfare_grant_key_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="welfare_grant_positive"),
        ]

    class Scope:
        area = "fund__organisation__subdistrict"
        organisation = "fund"

    def __str__(self) -> str:
        return f"{self.fund_id} {self.get_source_display()} {self.amount}"

    @property
    def document_label(self) -> str:
        return f"เงินสมทบจากภายนอก {self.reference or self.pk} (grant)"
