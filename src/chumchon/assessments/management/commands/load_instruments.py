"""`chumchon load_instruments`: add the shipped instruments that are missing (the data migration does this too)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from chumchon.assessments.models import Dimension, Instrument, Item, LevelBand
from chumchon.assessments.shipped import instruments_install


class Command(BaseCommand):
    help = "Add the shipped scorecards (strong community, council grade, fund quality, borrower grade) if missing."

    def handle(self, *args, **options):
        with transaction.atomic():
            added = instruments_install(Instrument, Dimension, Item, LevelBand)
        self.stdout.write(f"{added} instruments added.")
