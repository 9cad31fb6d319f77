from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "chumchon.ledger"
    label = "ledger"
    verbose_name = "Ledger"
