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
