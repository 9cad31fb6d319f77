"""Tell other apps, after commit, that an organisation's data changed (its members, or its book).

Services that change a fund's members or post to an organisation's book call :func:`organisation_changed`; apps
that keep derived figures (``insights`` area summaries) register a listener with :func:`listen`. The listeners
hear once per committed transaction of every organisation changed in it, so a collection sheet of 300 payments
or a generator posting a whole fund in one transaction tells them once, not hundreds of times. Nothing here knows
what the listeners do; a rolled-back transaction calls nobody. Listeners run after the commit, on the request's
time: they should note the change and leave heavy work to a task (``insights`` queues one).
"""

import threading
from collections.abc import Callable, Iterable

from django.db import transaction

_listeners: list[Callable[[set[int]], None]] = []
_state = threading.local()


def listen(listener: Callable[[set[int]], None]) -> None:
    """Register ``listener(organisation_ids)``; registering the same function twice keeps one."""
    if listener not in _listeners:
        _listeners.append(listener)


def _pending() -> set[int]:
    if not hasattr(_state, "pending"):
        _state.pending = set()
    return _state.pending


def _flush() -> None:
    ids, _state.pending = _pending(), set()
    if ids:
        for listener in list(_listeners):
            listener(ids)


def organisation_changed(organisation_ids: int | Iterable[int] | None) -> None:
    """Note that these organisations' data changed; listeners hear of it when the transaction commits."""
    if organisation_ids is None:
        return
    ids = {organisation_ids} if isinstance(organisation_ids, int) else {i for i in organisation_ids if i is not None}
    if not ids:
        return
    _pending().update(ids)
    # Every call adds a callback (a rolled-back savepoint drops its own); the first to run after the commit
    # takes everything pending, the others find nothing left to do. Robust: the change is committed whatever a
    # listener does, so a listener's error is logged, never shown to the user as a failed save.
    transaction.on_commit(_flush, robust=True)

