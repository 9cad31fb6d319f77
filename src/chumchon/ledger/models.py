"""Double-entry books (สมุดบัญชี) for every fund, council, organisation and national programme.

Amounts are positive debit and credit columns (never one signed column). The database keeps the rules even
when Python is bypassed — see ``ledger/sql/``: a posted entry balances, its lines never change, it is never
deleted or un-posted, nothing is posted into a closed period, running balances change only with postings.
"""

import re
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from chumchon.core.thai.digits import to_arabic_digits

MONEY = {"max_digits": 16, "decimal_places": 2}


class FundSource(models.TextChoices):
    """Where restricted money came from; kept apart in the books (เงินแยกตามแหล่งที่มา)."""

    MEMBERS = "members", _("members")
    GOVERNMENT = "government", _("government via the institute")
    LOCAL = "local", _("local administration")
    DONATIONS = "donations", _("donations")
    INTEREST = "interest", _("interest")
    OTHER = "other", _("other")


class AccountType(models.TextChoices):
    ASSET = "asset", _("asset")
    LIABILITY = "liability", _("liability")
    NET_ASSETS = "net_assets", _("fund balance (net assets)")
    INCOME = "income", _("income")
    EXPENSE = "expense", _("expense")


DEBIT_NORMAL = frozenset({AccountType.ASSET, AccountType.EXPENSE})


class Book(models.Model):
    """สมุดบัญชี: the accounting entity of one organisation (fund, council, organisation) or programme."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    organisation = models.OneToOneField(
        "core.Organisation", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="book",
    )
    template = models.CharField(_("chart template"), max_length=40, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("book")
        verbose_name_plural = _("books")

    class Scope:
        area = "organisation__subdistrict"
        organisation = "organisation"

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    @property
    def audit_organisation(self):
        return self.organisation


class Account(models.Model):
    """บัญชี: one account of a book's chart. ``standard_code`` is the template code that lets books be added up
    across areas; ``fund_source`` marks restricted money. ``debit_total``/``credit_total`` are running totals of
    posted lines, changed only by the posting trigger, so a balance is one row read."""

    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="accounts")
    code = models.CharField(_("code"), max_length=20)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    type = models.CharField(_("type"), max_length=12, choices=AccountType.choices)
    fund_source = models.CharField(_("fund source"), max_length=12, choices=FundSource.choices, blank=True)
    standard_code = models.CharField(_("standard code"), max_length=20, blank=True, db_index=True)
    is_cash = models.BooleanField(_("cash or bank"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    debit_total = models.DecimalField(_("debits posted"), default=0, **MONEY)
    credit_total = models.DecimalField(_("credits posted"), default=0, **MONEY)

    class Meta:
        ordering = ["book", "code"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(fields=["book", "code"], name="ledger_account_code_in_book"),
            models.CheckConstraint(condition=Q(debit_total__gte=0) & Q(credit_total__gte=0),
                                   name="ledger_account_totals_positive"),
        ]

    class Scope:
        area = "book__organisation__subdistrict"
        organisation = "book__organisation"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "th").startswith("en") and self.name_en else self.name_th

    @property
    def balance(self):
        """The balance on the account's normal side (debit for assets and expenses, credit otherwise)."""
        if self.type in DEBIT_NORMAL:
            return self.debit_total - self.credit_total
        return self.credit_total - self.debit_total


class Period(models.Model):
    """งวดบัญชี: one month of a book's fiscal year (B.E.-named, October to September). A closed period refuses
    postings dated in it."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="periods")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    month = models.PositiveSmallIntegerField(_("month of the fiscal year"))  # 1 = October … 12 = September
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["book", "start"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.UniqueConstraint(fields=["book", "fiscal_year", "month"], name="ledger_period_unique"),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="ledger_period_month"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="ledger_period_order"),
        ]

    class Scope:
        area = "book__organisation__subdistrict"
        organisation = "book__organisation"

    def __str__(self) -> str:
        return f"{self.book.code} {self.fiscal_year}/{self.month:02d}"


ENTRY_PREFIX = "JV"  # ใบสำคัญ (journal voucher), as receipts are RC… and payment vouchers PV…


def entry_label(fiscal_year: int | None, number: int | None, pk: int | None = None) -> str:
    """How an entry is quoted: ``JV2569-00012``; ``#pk`` for a draft (no number yet)."""
    if number is None:
        return f"#{pk}"
    return f"{ENTRY_PREFIX}{fiscal_year}-{number:05d}"


_LABEL = re.compile(r"^\s*(?:jv)?\s*(\d{4})\s*[-/]\s*(\d{1,9})\s*$", re.IGNORECASE)


def parse_entry_label(text: str) -> tuple[int, int] | None:
    """``(fiscal year, number)`` from an entry number as people type it: ``JV2569-00012``, ``jv 2569/12``,
    ``๒๕๖๙-๑๒``; None for anything else."""
    found = _LABEL.match(to_arabic_digits(text or ""))
    return (int(found.group(1)), int(found.group(2))) if found else None


class EntrySequence(models.Model):
    """The last entry number a book gave in a fiscal year. Written only by the posting trigger (the database
    refuses anything else), in the posting's own transaction: a posting rolled back gives its number back."""

    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    last = models.PositiveIntegerField(_("last number"))

    class Meta:
        verbose_name = _("entry number sequence")
        verbose_name_plural = _("entry number sequences")
        constraints = [
            models.UniqueConstraint(fields=["book", "fiscal_year"], name="ledger_entry_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.book_id} {self.fiscal_year}: {self.last}"


class JournalEntry(models.Model):
    """รายการบัญชี: a balanced set of lines on one business date. Drafts can be edited; a posted entry is
    history: corrected only by a reversal entry that points back at it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        POSTED = "posted", _("posted")

    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="entries")
    date = models.DateField(_("date"))
    memo = models.CharField(_("memo"), max_length=300)
    reference = models.CharField(_("document reference"), max_length=64, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)
    payload_hash = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    is_closing = models.BooleanField(_("year-end closing"), default=False)
    # เลขที่รายการ: given by the database when the entry is posted (``ledger/sql/entry_numbers.*``), 1, 2, 3 … in
    # the order of posting within the book's fiscal year of the entry's date, with no gaps and never changed; a
    # draft has none.
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"), null=True, blank=True, editable=False)
    number = models.PositiveIntegerField(_("entry number"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey("access.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        constraints = [
            models.UniqueConstraint(fields=["book", "idempotency_key"], name="ledger_entry_key_in_book"),
            # with a condition, so that SQLite adds an index instead of rebuilding the table (and its triggers)
            models.UniqueConstraint(fields=["book", "fiscal_year", "number"], condition=Q(number__isnull=False),
                                    name="ledger_entry_number_in_book"),
        ]
        indexes = [models.Index(fields=["book", "date"])]

    class Scope:
        area = "book__organisation__subdistrict"
        organisation = "book__organisation"

    def __str__(self) -> str:
        return f"{self.label} {self.date} {self.memo}"

    @property
    def label(self) -> str:
        """``JV2569-00012``: the entry's number as people quote it (the fiscal year's twelfth entry posted in
        the book); a draft, which has none, is named by its row id."""
        return entry_label(self.fiscal_year, self.number, self.pk)

    @property
    def audit_organisation(self):
        return self.book.organisation

    @property
    def amount(self):
        """The entry's size: its debits added up (equal to its credits: the database sees to that). Reads the
        lines, so a list prefetches them."""
        return sum((line.debit for line in self.lines.all()), Decimal("0.00"))


class Line(models.Model):
    """One debit or one credit of an entry. The book and date are copied from the entry (the database checks
    they match) so statements add lines up without a join."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    date = models.DateField()
    debit = models.DecimalField(_("debit"), default=0, **MONEY)
    credit = models.DecimalField(_("credit"), default=0, **MONEY)
    memo = models.CharField(_("memo"), max_length=200, blank=True)

    class Meta:
        ordering = ["entry", "id"]
        verbose_name = _("line")
        verbose_name_plural = _("lines")
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="ledger_line_one_side_positive",
            ),
        ]
        indexes = [models.Index(fields=["account", "date"]), models.Index(fields=["book", "date"])]

    class Scope:
        area = "book__organisation__subdistrict"
        organisation = "book__organisation"

    def __str__(self) -> str:
        return f"{self.account_id} Dr {self.debit} Cr {self.credit}"
