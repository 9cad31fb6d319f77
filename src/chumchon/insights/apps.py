from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "chumchon.insights"
    verbose_name = "Insights: area summaries, dashboards, open data, annual report"

    def ready(self) -> None:
        # Summaries follow every change of a fund's members or books, after the change commits.
        from chumchon.core import changes
        from chumchon.insights import report_councils, services  # noqa: F401 - the councils' report section

        changes.listen(services.summaries_touch)
