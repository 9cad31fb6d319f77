from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "chumchon.geo"
    label = "geo"
