"""Background work: checking and writing an import run in ``chumchon db_worker`` (the database task queue), so a
million-row file never holds a web request."""

import logging

from django.db import transaction
from django.tasks import task

from chumchon.dataio import services
from chumchon.dataio.models import ImportJob

log = logging.getLogger(__name__)


@task()
def import_check(job_id: int) -> None:
    services.job_check(ImportJob.objects.select_related("fund__organisation__book", "created_by").get(pk=job_id))


@task()
def import_write(job_id: int) -> None:
    try:
        services.job_write(ImportJob.objects.select_related("fund__organisation__book", "created_by").get(pk=job_id))
    except services.ImportRefused as exc:  # another worker has it (a task queued twice), or it is over: no write
        log.info("import job %s: write not started: %s", job_id, exc)


def enqueue_check(job: ImportJob) -> None:
    transaction.on_commit(lambda: import_check.enqueue(job.pk))


def enqueue_write(job: ImportJob) -> None:
    transaction.on_commit(lambda: import_write.enqueue(job.pk))
