import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from chumchon.dataio import services
from chumchon.dataio.models import ImportJob

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def run_import(world):
    """Check and (when allowed) write a fixture file through the services, as the CLI does."""

    def run(kind, name_or_path, *, fund=None, mode=ImportJob.Mode.ALL_OR_NOTHING, write=True, actor=None):
        path = Path(name_or_path) if Path(str(name_or_path)).is_absolute() else FIXTURES / name_or_path
        fund = world["fund_a"] if fund is None else fund
        system = actor is None
        with path.open("rb") as handle:
            job = services.job_create(actor=actor, kind=kind, file=handle, filename=path.name, fund=fund or None,
                                      mode=mode, system=system)
        job = services.job_check(job, system=system)
        if write and job.status == ImportJob.Status.CHECKED and job.rows_valid and (
                not job.rows_invalid or mode == ImportJob.Mode.VALID_ROWS):
            job = services.job_confirm(actor=actor, job=job)
            job = services.job_write(job, system=system)
        return job

    return run


def write(tmp_path, name, header, rows):
    """A CSV file (UTF-8 with BOM, as Excel saves it) of a header line and rows."""
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    return path


def problems(job):
    return [(p.row, p.code) for p in job.problems.order_by("row", "id")]


@pytest.fixture
def fund(world, system_user):
    """Fund A with the typical rules (one baht a day)."""
    import datetime

    from chumchon.welfare import services as welfare

    fund = world["fund_a"]
    welfare.typical_rules_set(actor=system_user, fund=fund, effective_from=datetime.date(2020, 1, 1))
    return fund


def stalled(job):
    """The job's worker not heard from for longer than ``STALLED_AFTER`` (it was killed): another may take it."""
    ImportJob.objects.filter(pk=job.pk).update(
        heartbeat=timezone.now() - ImportJob.STALLED_AFTER - datetime.timedelta(seconds=1))
    job.refresh_from_db()
    return job
