"""Background work of the insights app (``chumchon db_worker``): refreshing the summaries of funds that changed,
and publishing open data from them."""

from django.conf import settings
from django.tasks import task

from chumchon.insights import opendata, services


@task()
def summaries_refresh() -> int:
    refreshed = services.summaries_refresh_pending()
    if refreshed:
        opendata.release()  # asks for a new open-data release when the latest is old enough
    return refreshed


@task()
def opendata_publish() -> int:
    """A new open-data release unless the latest already reads the summaries as they are, or is younger than
    ``OPEN_DATA_MAX_AGE`` (several processes may have asked in the hour: one release does); its id."""
    return opendata.publish(fresh_for=settings.OPEN_DATA_MAX_AGE).pk
