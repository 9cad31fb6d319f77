"""core.changes: listeners hear of changed organisations once per committed transaction, never of a rolled-back
one."""

import pytest
from django.db import transaction

from chumchon.core import changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls: list[set[int]] = []
    changes.listen(calls.append)
    changes._state.pending = set()
    yield calls
    changes._listeners.remove(calls.append)


def test_once_per_transaction_with_every_organisation(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            changes.organisation_changed(1)
            changes.organisation_changed([2, None, 1])
            changes.organisation_changed(None)
    assert heard == [{1, 2}]


def test_a_rolled_back_transaction_calls_nobody(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            changes.organisation_changed(7)
            raise RuntimeError("refused")
    assert heard == []
