"""``chumchon import KIND FILE``: check a file and import it, from the shell.

Exit status: 0 when every row was imported (or, with ``--dry-run``, would be), 1 when rows were rejected (the
report says which and why), 2 when the file could not be imported at all: not found or not read, or refused before
any row was checked (an unknown fund or user, a user who may not import into the fund, no fund chosen) — with a
Thai (English) message on stderr.
"""

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from chumchon.access.models import User
from chumchon.dataio import services
from chumchon.dataio.files import report_xlsx
from chumchon.dataio.kinds import KINDS
from chumchon.dataio.models import ImportJob
from chumchon.welfare.models import Fund


class Command(BaseCommand):
    help = "Import people, members, contributions… from an xlsx or CSV file (นำเข้าข้อมูลจากไฟล์)"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--fund", help="the fund's code (รหัสกองทุน); without it each row names its fund")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument("--valid-rows-only", action="store_true",
                            help="import the valid rows even when others have problems")
        parser.add_argument("--report", help="write the problem report here (xlsx)")
        parser.add_argument("--user", help="record the import as this user (default: the system)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {path} (no such file)", returncode=2)
        fund = None
        if options["fund"]:
            fund = Fund.objects.select_related("organisation__book").filter(organisation__code=options["fund"]).first()
            if fund is None:
                raise CommandError(f"ไม่พบกองทุนรหัส {options['fund']} (no fund with this code)", returncode=2)
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"ไม่พบผู้ใช้ {options['user']} (no such user)", returncode=2)
        mode = ImportJob.Mode.VALID_ROWS if options["valid_rows_only"] else ImportJob.Mode.ALL_OR_NOTHING
        system = actor is None
        try:
            with path.open("rb") as handle:
                job = services.job_create(actor=actor, kind=options["kind"], file=handle, filename=path.name,
                                          fund=fund, mode=mode, system=system)
        except (PermissionDenied, services.ImportRefused) as exc:  # refused before any row is read: no fund, no right
            raise CommandError(f"นำเข้าไม่ได้: {exc}", returncode=2) from exc
        job = services.job_check(job, system=system, stage=not options["dry_run"])
        out = self.stdout.write
        if job.status == ImportJob.Status.FAILED:
            self.stderr.write(f"อ่านไฟล์ไม่ได้: {job.message}")
            sys.exit(2)
        out(f"{job.rows_read:,} rows read: {job.rows_valid:,} valid, {job.rows_invalid:,} with problems "
            f"(job #{job.pk})")
        for problem in job.problems.all()[:20]:
            out(f"  row {problem.row} {problem.column} \"{problem.value}\": "
                f"{problem.message_th} ({problem.message_en})")
        if job.rows_invalid > 20:
            out("  … and more: see the report (--report FILE.xlsx)")
        changes = job.changes.count()
        if options["report"] and (job.rows_invalid or changes):
            Path(options["report"]).write_bytes(report_xlsx(job))
            out(f"Report written to {options['report']}")
        out(f"The valid rows would be: {job.checked_new:,} new, {job.checked_updated:,} updated, "
            f"{job.checked_unchanged:,} already there.")
        for change in job.changes.all()[:20]:
            out(f"  row {change.row} {change.column}: \"{change.old}\" → \"{change.new}\"")
        if changes > 20:
            out(f"  … {changes - 20:,} more changes: see the report (--report FILE.xlsx)")
        if options["dry_run"]:
            out("Dry run: nothing written.")
            sys.exit(1 if job.rows_invalid else 0)
        if job.rows_invalid and mode == ImportJob.Mode.ALL_OR_NOTHING:
            out("Nothing imported: fix the rows above, or run again with --valid-rows-only.")
            sys.exit(1)
        if job.rows_valid:
            job = services.job_confirm(actor=actor, job=job)
            job = services.job_write(job, system=system)
        if job.status == ImportJob.Status.FAILED:
            self.stderr.write(job.message)
            sys.exit(1)
        out(f"Imported: {job.rows_written:,} new, {job.rows_updated:,} updated, {job.rows_unchanged:,} already there.")
        sys.exit(1 if job.rows_invalid else 0)
