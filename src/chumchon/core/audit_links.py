"""Links from audit rows to the records they are about.

Each app says how to reach its own records: its ``AppConfig.audit_links()`` returns ``{object type: resolver}``,
``object type`` as the audit row stores it (``welfare.claim``) and ``resolver(ids)`` giving ``{id: url}`` for the
ids it can link, in one query at most. :func:`urls_for` asks each resolver once for the rows of a page, so the
page's queries do not grow with its rows. A link is only a way there: the page it leads to decides, as always,
whether the reader may see the record (an object since removed, or outside the reader's scope, answers 404).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.apps import apps

Resolver = Callable[[list[str]], dict[str, str]]


def resolvers() -> dict[str, Resolver]:
    found: dict[str, Resolver] = {}
    for config in apps.get_app_configs():
        links = getattr(config, "audit_links", None)
        if links is not None:
            found.update(links())
    return found


def urls_for(rows: Iterable) -> dict[tuple[str, str], str]:
    """``{(object type, object id): url}`` for the audit rows whose record has a page."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.object_type and row.object_id:
            wanted[row.object_type].append(row.object_id)
    known = resolvers()
    urls = {}
    for object_type, ids in wanted.items():
        resolver = known.get(object_type)
        if resolver is not None:
            urls.update({(object_type, pk): url for pk, url in resolver(sorted(set(ids))).items()})
    return urls


def numeric(ids: list[str]) -> list[int]:
    """The ids that are numbers (an audit row stores them as text)."""
    return [int(pk) for pk in ids if pk.isdigit()]
