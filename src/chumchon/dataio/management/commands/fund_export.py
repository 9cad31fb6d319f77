"""``chumchon fund_export CODE FILE.zip``: the whole fund in one archive (JSON and its files), to move it to
another Chumchon instance. The archive holds personal data (PDPA): keep it safe. See docs/archive.md.

Exit status: 0 written, 1 refused (unknown fund, not allowed, data that cannot be exported), 2 unknown user or a
file that cannot be written.
"""

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from chumchon.access.models import User
from chumchon.dataio.archive import ArchiveRefused, fund_export
from chumchon.welfare.models import Fund


class Command(BaseCommand):
    help = "Export a whole fund into one archive (ส่งออกข้อมูลทั้งกองทุนเป็นไฟล์เดียว)"

    def add_arguments(self, parser):
        parser.add_argument("code", help="the fund's code (รหัสกองทุน)")
        parser.add_argument("file", help="the archive to write (.zip)")
        parser.add_argument("--user", help="record the export as this user (default: the system)")
        parser.add_argument("--purpose", default="ย้ายกองทุนไปยังระบบอื่น (moving the fund to another instance)",
                            help="why the personal data leaves (kept in the audit log and each person's access log)")

    def handle(self, *args, **options):
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"ไม่พบผู้ใช้ {options['user']} (no such user)", returncode=2)
        fund = Fund.objects.select_related("organisation").filter(organisation__code=options["code"]).first()
        if fund is None:
            self.stderr.write(f"ไม่พบกองทุนรหัส {options['code']} (no fund with this code)")
            sys.exit(1)
        path = Path(options["file"])
        if not path.parent.is_dir():
            raise CommandError(f"ไม่พบโฟลเดอร์ {path.parent} (no such folder)", returncode=2)
        try:
            summary = fund_export(actor=actor, fund=fund, path_or_file=path, purpose=options["purpose"])
        except PermissionDenied as exc:
            self.stderr.write(str(exc))
            sys.exit(1)
        except ValidationError as exc:
            self.stderr.write(" ".join(exc.messages))
            sys.exit(1)
        except ArchiveRefused as exc:
            self.stderr.write(f"ส่งออกไม่ได้ (not exported):\n{exc}")
            sys.exit(1)
        except OSError as exc:
            raise CommandError(f"เขียนไฟล์ {path} ไม่ได้ (cannot write the file): {exc}", returncode=2) from exc
        counts = summary["counts"]
        self.stdout.write(
            f"ส่งออกกองทุน {summary['fund_code']} แล้ว (exported): {counts['people']:,} people, "
            f"{counts['memberships']:,} members, {counts['contributions']:,} contributions, {counts['claims']:,} "
            f"claims, {counts['entries']:,} entries → {path} ({summary['bytes']:,} bytes, "
            f"content sha256 {summary['content_sha256'][:16]}…)")
        self.stdout.write("ไฟล์นี้มีข้อมูลส่วนบุคคล: เก็บรักษาอย่างปลอดภัยและลบเมื่อนำเข้าแล้ว "
                          "(the archive holds personal data: keep it safe, delete it once imported)")
