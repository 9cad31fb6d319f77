"""An import: the uploaded file, what was found in it row by row, and how far writing has got."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One file brought in. Checked first (nothing written), then confirmed, then written in batches; each batch
    commits with the job's checkpoint, so a killed worker resumes after the last whole batch."""

    class Kind(models.TextChoices):
        PEOPLE = "people", _("people")
        MEMBERSHIPS = "memberships", _("members")
        CONTRIBUTIONS = "contributions", _("contributions (history)")
        PAYOUTS = "payouts", _("benefit payouts (history)")
        OPENING_BALANCES = "opening-balances", _("opening balances")
        COUNCILS = "councils", _("community organisation councils")
        ORGANISATIONS = "organisations", _("community organisations registered with a council")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        CHECKING = "checking", _("checking")
        CHECKED = "checked", _("checked: waiting for confirmation")
        QUEUED = "queued", _("queued")
        WRITING = "writing", _("importing")
        DONE = "done", _("imported")
        REJECTED = "rejected", _("not imported: problems found")
        FAILED = "failed", _("could not be read")
        CANCELLED = "cancelled", _("cancelled")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("all or nothing")
        VALID_ROWS = "valid", _("import the valid rows")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    fund = models.ForeignKey("welfare.Fund", verbose_name=_("fund"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    organisation = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.ALL_OR_NOTHING)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    message = models.TextField(_("message"), blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_valid = models.PositiveIntegerField(_("valid rows"), default=0)
    rows_invalid = models.PositiveIntegerField(_("rows with problems"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("rows already there"), default=0)
    rows_updated = models.PositiveIntegerField(_("rows updated"), default=0)
    # What the check found the valid rows would do, shown before the user confirms (the write's own counts above
    # say what it did: the same unless the records changed in between).
    checked_new = models.PositiveIntegerField(_("new rows (as checked)"), default=0)
    checked_updated = models.PositiveIntegerField(_("rows to update (as checked)"), default=0)
    checked_unchanged = models.PositiveIntegerField(_("rows already there (as checked)"), default=0)
    checkpoint_row = models.PositiveIntegerField(default=0)  # last file row whose batch committed
    rows_total = models.PositiveIntegerField(default=0)  # data rows found by the check
    rows_staged = models.PositiveIntegerField(default=0)  # checked rows kept for the write (StagedContribution)
    created_by = models.ForeignKey("access.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    class Scope:
        area = "organisation__subdistrict"
        organisation = "organisation"
        owner = "created_by"  # a job of no one fund (people, councils, organisations) stays its maker's

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename}"

    # A running import's worker saves the job at least once a batch (``heartbeat``); one not heard from for this
    # long has most likely stopped (killed, the machine restarted) and may be resumed.
    STALLED_AFTER = datetime.timedelta(minutes=2)

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.UPLOADED, self.Status.CHECKING, self.Status.QUEUED, self.Status.WRITING)

    def is_stalled(self, now: datetime.datetime | None = None) -> bool:
        """Running, but its worker not heard from for :attr:`STALLED_AFTER`."""
        return self.is_running and (now or timezone.now()) - (self.heartbeat or self.created) > self.STALLED_AFTER

    @property
    def progress_percent(self) -> int:
        if self.status in (self.Status.DONE, self.Status.CHECKED, self.Status.REJECTED):
            return 100
        if self.status == self.Status.WRITING and self.rows_total:
            return min(100, int(100 * self.checkpoint_row_count / self.rows_total))
        return 0

    @property
    def checkpoint_row_count(self) -> int:
        return self.rows_written + self.rows_unchanged + self.rows_updated

    @property
    def eta_seconds(self) -> int | None:
        from django.utils import timezone

        done = self.checkpoint_row_count
        if self.status != self.Status.WRITING or not self.started or not done or not self.rows_total:
            return None
        elapsed = (timezone.now() - self.started).total_seconds()
        return int(elapsed / done * max(0, self.rows_total - done))


class ImportProblem(models.Model):
    """One problem in one cell (or row) of an imported file, in Thai and English."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="problems")
    row = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=60, blank=True)
    value = models.CharField(_("value"), max_length=200, blank=True)
    code = models.CharField(max_length=40)
    message_th = models.CharField(_("problem"), max_length=400)
    message_en = models.CharField(_("problem (English)"), max_length=400)

    class Meta:
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["job", "row"])]

    def __str__(self) -> str:
        return f"{self.row} {self.column}: {self.message_en}"


class RowidKey(models.BigIntegerField):
    """A 64-bit integer primary key that on SQLite is the table's rowid: SQLite makes a column its rowid only
    when declared exactly ``integer PRIMARY KEY`` (``bigint`` gets a second, separate index)."""

    def db_type(self, connection):
        return "integer" if connection.vendor == "sqlite" else super().db_type(connection)


class ImportChange(models.Model):
    """One cell a valid row changes in a record already there (a person's name, a joining date, a council's
    registration), its value now and the file's. Kept by the check so that the user sees before confirming exactly
    what an updated file will update; after the write, the same list is what it did."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="changes")
    row = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=60)
    old = models.CharField(_("now"), max_length=200, blank=True)
    new = models.CharField(_("in the file"), max_length=200, blank=True)

    class Meta:
        ordering = ["row", "id"]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row} {self.column}"


class StagedContribution(models.Model):
    """A contribution row as the check found it, kept for the write: the member it belongs to, the days it pays
    for and the days it covers, so that the write moves whole batches with set-based SQL instead of reading and
    checking the file a second time (``kinds.contributions``). Scratch space: a job's rows go when it ends; on
    PostgreSQL the table is UNLOGGED (a crash empties it, and the write then goes back to reading the file).
    Plain ids, no foreign keys: nothing here is money until the write copies it into ``welfare_contribution``,
    whose keys the database checks.

    One integer key, the job and the file row together (``job << 32 | row``, :meth:`key_of`): a batch of a job's
    rows is a range of it. On SQLite that makes the key the table's rowid, so rows are stored in key order and
    read by a range of the table itself, with no second index to write, search and delete from (a composite
    key (job, row) was measured slower on every statement of the write: ``chumchon bench import``)."""

    ROW_BITS = 32
    key = RowidKey(primary_key=True)
    fund_id = models.BigIntegerField()
    membership_id = models.BigIntegerField()
    receipt_number = models.CharField(max_length=20)
    fiscal_year = models.PositiveSmallIntegerField()
    date = models.DateField()
    satang = models.BigIntegerField()  # the amount in satang: sums exactly on SQLite too
    days = models.PositiveIntegerField()
    covers_from = models.DateField()
    covers_to = models.DateField()
    unchanged = models.BooleanField(default=False)  # already recorded with the same member, date and amount

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row} {self.receipt_number}"

    @classmethod
    def key_of(cls, job_id: int, row: int) -> int:
        """The key of a job's file row (a row number of 0 is before its first row)."""
        if not (0 < job_id < 1 << (63 - cls.ROW_BITS) and 0 <= row < 1 << cls.ROW_BITS):
            raise ValueError(f"job {job_id} row {row} does not fit the staging key")
        return job_id << cls.ROW_BITS | row

    @classmethod
    def row_of(cls, key: int) -> int:
        return key & ((1 << cls.ROW_BITS) - 1)

    @classmethod
    def key_range(cls, job_id: int) -> tuple[int, int]:
        """``(low, end)``: a job's rows are the keys strictly between the two."""
        return cls.key_of(job_id, 0), cls.key_of(job_id + 1, 0)

    @classmethod
    def of_job(cls, job_id: int) -> models.QuerySet:
        """A job's staged rows: a range of the key."""
        low, end = cls.key_range(job_id)
        return cls.objects.filter(key__gt=low, key__lt=end)

    @property
    def job_id(self) -> int:
        return self.key >> self.ROW_BITS

    @property
    def row(self) -> int:
        return self.row_of(self.key)

