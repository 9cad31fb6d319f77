from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "chumchon.people"
    label = "people"
