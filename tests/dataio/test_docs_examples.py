"""The example files in docs/examples import cleanly, in the order docs/import.md gives."""

from pathlib import Path

import pytest

from chumchon.dataio.models import ImportJob

from .conftest import problems

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"


def test_the_documented_examples_import(run_import, fund):
    for kind, name, rows in [("opening-balances", "opening-balances.csv", 4), ("memberships", "members.csv", 3),
                             ("contributions", "contributions.csv", 3), ("payouts", "payouts.csv", 1)]:
        job = run_import(kind, EXAMPLES / name)
        assert (job.status, job.rows_written) == (ImportJob.Status.DONE, rows), (name, problems(job), job.message)


def test_the_documented_organisations_example_imports(run_import, world):
    import datetime

    from chumchon.councils.services import council_create

    council_create(actor=world["users"]["admin"], code="CC-500203", name_th="สภาองค์กรชุมชนตำบล",
                   subdistrict=world["sub_a"], founded_on=datetime.date(2010, 3, 1))
    job = run_import("organisations", EXAMPLES / "organisations.csv", fund=False)
    assert (job.status, job.rows_written) == (ImportJob.Status.DONE, 3), (problems(job), job.message)
