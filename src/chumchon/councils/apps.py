from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "chumchon.councils"
    label = "councils"
