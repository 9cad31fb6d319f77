"""Background work of the insights app: refreshing the summaries of funds that changed (``chumchon db_worker``)."""

from django.tasks import task

from chumchon.insights import services


@task()
def summaries_refresh() -> int:
    return services.summaries_refresh_pending()
