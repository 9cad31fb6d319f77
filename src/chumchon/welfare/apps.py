from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "chumchon.welfare"
    label = "welfare"
