"""What every assessment service shares: the Thai (English) field error and who may do what."""

from django.core.exceptions import PermissionDenied

from chumchon.access.roles import Action, Role
from chumchon.access.scoping import allows_location, assignments_of
from chumchon.core.errors import field_error  # noqa: F401 (the assessment services import it from here)

# Roles that may enter a reviewed (not self-) assessment: the secretariat and national staff check areas and
# organisations; a council officer or fund committee assesses only itself.
REVIEWER_ROLES = frozenset({Role.PROVINCIAL_SECRETARIAT, Role.NATIONAL_STAFF, Role.ADMINISTRATOR})


def check_national_editor(actor) -> None:
    """Instruments are national reference data: only a national-scope role that may change may edit them."""
    if not allows_location(actor, Action.CHANGE):
        raise PermissionDenied("เฉพาะเจ้าหน้าที่ส่วนกลางแก้ไขแบบประเมินได้ (only national staff edit instruments)")


def may_assess(actor, *, subdistrict, organisation) -> bool:
    """Whether the actor may start or answer an assessment of this subject: in its area or for its organisation;
    a subdistrict's own assessment (no organisation: the strong-community indicators) also for a council of that
    subdistrict, whose officer may be scoped to the council alone — as ``Assessment.Scope`` lets them see it."""
    if allows_location(actor, Action.CHANGE, subdistrict=subdistrict, organisation=organisation):
        return True
    if organisation is not None or subdistrict is None:
        return False
    from chumchon.core.models import Organisation

    mine = {a.organisation_id for a in assignments_of(actor) if a.organisation_id}
    if not mine:
        return False
    councils = Organisation.objects.filter(pk__in=mine, subdistrict=subdistrict, council__isnull=False)
    return any(allows_location(actor, Action.CHANGE, organisation=council) for council in councils)


def check_assessment_actor(actor, *, subdistrict, organisation, mode: str) -> None:
    if not may_assess(actor, subdistrict=subdistrict, organisation=organisation):
        raise PermissionDenied("ไม่มีสิทธิ์ประเมินหน่วยนี้ (not allowed to assess this subject)")
    if mode == "review" and not any(Role(a.role) in REVIEWER_ROLES for a in assignments_of(actor)):
        raise PermissionDenied("การประเมินแบบทบทวนทำได้โดยกองเลขาจังหวัดหรือส่วนกลาง "
                               "(a reviewed assessment is entered by the provincial secretariat or national staff)")
