"""``chumchon fund_import FILE.zip``: bring in a whole fund exported by ``chumchon fund_export`` from another
Chumchon instance. The archive is checked whole first; then it is written in one transaction, or not at all.
Importing the same archive again changes nothing. See docs/archive.md.

Exit status: 0 imported (or already imported, or with ``--dry-run`` importable), 1 refused (the message names the
file, record and field), 2 the file cannot be read as a fund archive (or an unknown user).
"""

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from chumchon.access.models import User
from chumchon.dataio.archive import ArchiveRefused, fund_import


class Command(BaseCommand):
    help = "Import a whole fund from an archive made by fund_export (นำเข้าข้อมูลทั้งกองทุนจากไฟล์)"

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive (.zip)")
        parser.add_argument("--user", help="record the import as this user (default: the system)")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {path} (no such file)", returncode=2)
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"ไม่พบผู้ใช้ {options['user']} (no such user)", returncode=2)
        try:
            summary = fund_import(actor=actor, path_or_file=path, dry_run=options["dry_run"])
        except PermissionDenied as exc:
            self.stderr.write(str(exc))
            sys.exit(1)
        except ArchiveRefused as exc:
            self.stderr.write(f"ไม่ได้นำเข้า: ไม่มีข้อมูลใดถูกบันทึก (not imported: nothing was written)\n{exc}")
            sys.exit(exc.exit_code)
        out, code = self.stdout.write, summary["fund_code"]
        if summary["status"] == "already imported":
            out(f"กองทุน {code} นำเข้าจากไฟล์นี้แล้ว: ไม่มีการเปลี่ยนแปลง (already imported: nothing changed)")
            return
        if summary["status"] == "checked":
            out(f"ตรวจแล้ว นำเข้าได้ (checked: the archive can be imported): {summary['people_created']:,} people new, "
                f"{summary['people_reused']:,} already here. Dry run: nothing written.")
        else:
            out(f"นำเข้ากองทุน {code} แล้ว (imported): {summary['people_created']:,} people new, "
                f"{summary['people_reused']:,} already here (reused), {summary['memberships']:,} members, "
                f"{summary['contributions']:,} contributions, {summary['claims']:,} claims "
                f"({summary['evidence_files']:,} evidence files), {summary['entries']:,} entries re-posted, "
                f"{summary['periods_closed']:,} periods closed")
        if summary["people_differing"]:
            out(f"{len(summary['people_differing']):,} people already here differ in name or birth date from the "
                "archive; kept as they are here (บุคคลที่มีอยู่แล้วแต่ชื่อหรือวันเกิดต่างจากไฟล์: คงข้อมูลเดิมไว้): "
                + ", ".join(summary["people_differing"][:20]))
