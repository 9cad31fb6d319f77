"""The garbage collector eased while imports run (services._collector_eased): eased while any runs, put back as it
was when the last one ends, whatever order they end in (imports in several threads share the process's setting)."""

import gc

import pytest

from chumchon.dataio import services


@pytest.fixture
def original():
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)  # whatever the test did
    gc.unfreeze()


def test_eased_during_and_put_back_after(original):
    with services._collector_eased():
        assert gc.get_threshold()[0] >= services.YOUNG_COLLECTION_EVERY
        assert gc.get_threshold()[1:] == original[1:]
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == original and gc.get_freeze_count() == 0


def test_put_back_by_the_last_to_end_whatever_the_order(original):
    first, second = services._collector_eased(), services._collector_eased()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first import ends while the second still runs: still eased
    assert gc.get_threshold()[0] >= services.YOUNG_COLLECTION_EVERY
    second.__exit__(None, None, None)
    assert gc.get_threshold() == original and gc.get_freeze_count() == 0


def test_put_back_when_the_import_fails(original):
    with pytest.raises(RuntimeError), services._collector_eased():
        raise RuntimeError("the worker was stopped")
    assert gc.get_threshold() == original and gc.get_freeze_count() == 0
