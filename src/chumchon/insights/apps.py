from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "chumchon.insights"
    verbose_name = "Insights: area summaries, dashboards, open data, annual report"

    def ready(self) -> None:
        # Summaries follow every change of a fund's members or books, after the change commits.
        from chumchon.core import changes
        from chumchon.insights import services

        changes.listen(services.summaries_touch)
