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


def check_assessment_actor(actor, *, subdistrict, organisation, mode: str) -> None:
    if not allows_location(actor, Action.CHANGE, subdistrict=subdistrict, organisation=organisation):
        raise PermissionDenied("ไม่มีสิทธิ์ประเมินหน่วยนี้ (not allowed to assess this subject)")
    if mode == "review" and not any(Role(a.role) in REVIEWER_ROLES for a in assignments_of(actor)):
        raise PermissionDenied("การประเมินแบบทบทวนทำได้โดยกองเลขาจังหวัดหรือส่วนกลาง "
                               "(a reviewed assessment is entered by the provincial secretariat or national staff)")
