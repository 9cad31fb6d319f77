"""Links from audit rows to the records they are about.

Each app says how to reach its own records: its ``AppConfig.audit_links()`` returns ``{object type: resolver}``,
``object type`` as the audit row stores it (``welfare.claim``) and ``resolver(ids, user)`` giving ``{id: url}``
for the records among ``ids`` that the user may open — read through :func:`access.scoping.restrict`, one query —
so that a row links only where its reader may go (a record since removed, or outside the reader's scope, is shown
without a link). :func:`urls_for` asks each resolver once for the rows of a page, so the page's queries do not
grow with its rows.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.apps import apps

Resolver = Callable[[list[str], object], dict[str, str]]


def resolvers() -> dict[str, Resolver]:
    found: dict[str, Resolver] = {}
    for config in apps.get_app_configs():
        links = getattr(config, "audit_links", None)
        if links is not None:
            found.update(links())
    return found


def urls_for(rows: Iterable, user) -> dict[tuple[str, str], str]:
    """``{(object type, object id): url}`` for the audit rows whose record has a page the user may open."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.object_type and row.object_id:
            wanted[row.object_type].append(row.object_id)
    known = resolvers()
    urls = {}
    for object_type, ids in wanted.items():
        resolver = known.get(object_type)
        if resolver is not None:
            urls.update({(object_type, pk): url for pk, url in resolver(sorted(set(ids)), user).items()})
    return urls


def numeric(ids: list[str]) -> list[int]:
    """The ids that are numbers (an audit row stores them as text)."""
    return [int(pk) for pk in ids if pk.isdigit()]


def visible(model, ids: list[str], user, *fields: str) -> list:
    """``(pk, *fields)`` of the records among ``ids`` that the user may open (VIEW, through the one scoping)."""
    from chumchon.access.scoping import restrict

    return list(restrict(model.objects.filter(pk__in=numeric(ids)), user).values_list("pk", *fields))
