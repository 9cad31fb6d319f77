"""Writes for users and roles: assignments, passwords and two-factor devices."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from chumchon.access.models import SCOPE_FIELDS, RoleAssignment, User
from chumchon.access.roles import RULES, Role, ScopeKind
from chumchon.access.scoping import forget_assignments
from chumchon.core.audit import audit_record


@transaction.atomic
def role_assign(*, actor, user: User, role: str, scope_kind: str, scope=None) -> RoleAssignment:
    """Give ``user`` a role over a scope (None for national). Refuses a scope the role cannot have."""
    rule = RULES[Role(role)]
    if ScopeKind(scope_kind) not in rule.scopes:
        raise ValidationError({"scope_kind": ValidationError(
            f"บทบาท {Role(role).label} ใช้กับขอบเขต {ScopeKind(scope_kind).label} ไม่ได้ "
            f"(role {role} cannot have scope {scope_kind})", code="scope")})
    if rule.self_only and user.person_id is None:
        raise ValidationError({"user": ValidationError(
            "สมาชิกต้องผูกกับข้อมูลบุคคล (a member's login must be linked to their person record)",
            code="person")})
    field = SCOPE_FIELDS.get(ScopeKind(scope_kind))
    values = {field: scope} if field else {}
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, scope_kind=scope_kind, **values
    )
    if created:
        audit_record(actor=actor, action="access.role_assign", obj=assignment, summary=str(assignment),
                     organisation=values.get("organisation"))
    forget_assignments(user)
    return assignment


@transaction.atomic
def password_change(*, actor, user: User, password: str) -> None:
    """Give ``user`` a new password (checked against the site's password validators by the form that took it),
    recorded in the audit log — never the password itself. The user's other sessions end (their session hash no
    longer matches); the view keeps the one that made the change (``update_session_auth_hash``)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="access.password_change", obj=user, summary=f"password of {user.username} changed")


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the user (reused if one is waiting), shown as a QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="access.2fa_enrol", summary=f"TOTP device {device.pk} confirmed")
    return True
