from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "chumchon.assessments"
    label = "assessments"
