"""What every page's frame needs: the navigation for this user."""

from django.urls import reverse
from django.utils.translation import gettext as _

from chumchon.access.roles import Action
from chumchon.access.scoping import assignments_of, user_can


def _items(user) -> list[tuple[str, str]]:
    if not user.is_authenticated:
        return [(reverse("home"), _("Home")), (reverse("geo:nation"), _("Areas")),
                (reverse("open_data:catalogue"), _("Open data"))]
    items = [(reverse("home"), _("Home"))]
    if not assignments_of(user):
        return [*items, (reverse("open_data:catalogue"), _("Open data"))]
    items.append((reverse("welfare:fund_list"), _("Funds")))
    if user_can(user, Action.VIEW) and any(a.role != "member" for a in assignments_of(user)):
        items.append((reverse("people:person_list"), _("People")))
    if any(a.role != "member" for a in assignments_of(user)):
        items.append((reverse("ledger:book_list"), _("Books")))
        items.append((reverse("councils:council_list"), _("Councils")))
        items.append((reverse("assessments:assessment_list"), _("Assessments")))
    if any(a.scope_kind != "organisation" for a in assignments_of(user)):
        items.append((reverse("welfare:matching_overview"), _("Matching money")))
    if any(a.role != "member" for a in assignments_of(user)):
        items.append((reverse("insights:home"), _("Dashboards")))
    items.append((reverse("geo:nation"), _("Areas")))
    if user_can(user, Action.CHANGE) and any(a.role != "member" for a in assignments_of(user)):
        items.append((reverse("dataio:import_list"), _("Imports")))
    if user_can(user, Action.VIEW_AUDIT):
        items.append((reverse("core:audit_list"), _("Audit log")))
    items.append((reverse("open_data:catalogue"), _("Open data")))
    return items


def shell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {"nav_items": []}
    path = request.path
    nav = []
    for url, label in _items(user):
        active = path == url if url == "/" else path.startswith(url)
        nav.append({"url": url, "label": label, "active": active})
    return {"nav_items": nav}
