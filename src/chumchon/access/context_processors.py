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
    if any(a.role == "member" for a in assignments_of(user)):
        items.append((reverse("welfare:my_record"), _("My record")))
    if any(a.role != "member" for a in assignments_of(user)):  # a member sees no fund's pages, only their own
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
    items = _items(user)
    # The item whose address is the longest start of this page's (/funds/me/ is "My record", not "Funds").
    matching = [url for url, _label in items if path == url or (url != "/" and path.startswith(url))]
    current = max(matching, key=len, default=None)
    return {"nav_items": [{"url": url, "label": label, "active": url == current} for url, label in items]}
