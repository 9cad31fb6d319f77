"""`chumchon demo`: build the demo world (idempotent) and print the logins."""

from base64 import b32encode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from chumchon.demo.world import DEMO_BACKUP_CODES, DEMO_PASSWORD, DEMO_TOTP_KEY_HEX, build_demo


class Command(BaseCommand):
    help = "Build the demo world (3 provinces, 10 welfare funds, one login per role) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even when DEBUG is off (never in production)")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("refusing to build demo data with DEBUG off (use --force on a throwaway database)")
        summary = build_demo()
        from chumchon.insights.services import summaries_refresh_pending

        summaries_refresh_pending()  # the dashboards' figures now, not when the worker gets to them
        from chumchon.insights.opendata import publish

        publish()  # and open data's release
        self.stdout.write(f"Demo world ready: {summary.created_funds} funds, {summary.created_people} people, "
                          f"{summary.created_entries} journal entries and {summary.created_councils} community "
                          f"councils created in this run.")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for username, role, scope in summary.logins:
            self.stdout.write(f"  {username:<10} {role} — {scope}")
        key = b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()
        self.stdout.write("")
        self.stdout.write(f"admin and national need a second factor: TOTP key {key} "
                          f"(e.g. `oathtool --totp -b {key}`) or a backup code: {', '.join(DEMO_BACKUP_CODES)}")
