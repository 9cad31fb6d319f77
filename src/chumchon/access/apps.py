from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "chumchon.access"
    label = "access"
