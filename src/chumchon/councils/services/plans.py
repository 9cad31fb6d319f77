"""Writes for local development plans: the plan, its items, and an item taken up by an agency."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from chumchon.access.roles import Action
from chumchon.access.scoping import allows_location
from chumchon.core.audit import audit_record
from chumchon.core.thai.fiscal import fiscal_year_of
from chumchon.core.thai.money import format_baht
from chumchon.councils.models import DevelopmentPlan, PlanItem, PlanItemLink
from chumchon.councils.services.common import field_error


def _check_plan_actor(actor, plan: DevelopmentPlan) -> None:
    organisation = plan.council.organisation if plan.council_id else None
    if not allows_location(actor, Action.CHANGE, subdistrict=plan.subdistrict, organisation=organisation):
        raise PermissionDenied("ไม่มีสิทธิ์บันทึกแผนของพื้นที่นี้ (not allowed to record this area's plan)")


PLAN_YEARS_AHEAD = 5  # a local development plan looks five years ahead (แผนพัฒนาท้องถิ่น 5 ปี)


def _check_fiscal_year(field: str, fiscal_year: int) -> None:
    if not 2500 <= fiscal_year <= 2700:
        raise field_error(field, f"ปีงบประมาณ {fiscal_year} ไม่ถูกต้อง ให้ใช้ปี พ.ศ. เช่น 2569",
                          f"fiscal year {fiscal_year} is not a B.E. year such as 2569", "fiscal_year")
    latest = fiscal_year_of(timezone.localdate()).be_year + PLAN_YEARS_AHEAD
    if fiscal_year > latest:  # 2700 was accepted
        raise field_error(field, f"ปีงบประมาณ {fiscal_year} ไกลเกินไป แผนมองไปข้างหน้าได้ถึงปี {latest}",
                          f"fiscal year {fiscal_year} is too far ahead: plans look ahead to {latest} at most",
                          "too_far_ahead")


@transaction.atomic
def plan_create(*, actor, subdistrict, fiscal_year: int, title: str, council=None,
                approved_on: datetime.date | None = None) -> DevelopmentPlan:
    """Enter a subdistrict's community development plan for a fiscal year (one per subdistrict and year)."""
    if not allows_location(actor, Action.CHANGE, subdistrict=subdistrict,
                           organisation=council.organisation if council else None):
        raise PermissionDenied("ไม่มีสิทธิ์บันทึกแผนของพื้นที่นี้ (not allowed to record this area's plan)")
    _check_fiscal_year("fiscal_year", fiscal_year)
    if council is not None and council.organisation.subdistrict_id != subdistrict.pk:
        raise field_error("council", "สภานี้อยู่ตำบลอื่น", "the council is in another subdistrict", "council")
    if DevelopmentPlan.objects.filter(subdistrict=subdistrict, fiscal_year=fiscal_year).exists():
        raise field_error("fiscal_year", f"ตำบล{subdistrict.name_th}มีแผนปีงบประมาณ {fiscal_year} แล้ว",
                          f"{subdistrict.name_en} has a plan for FY {fiscal_year} already", "duplicate")
    if not title.strip():
        raise field_error("title", "ต้องระบุชื่อแผน", "the title is required", "required")
    plan = DevelopmentPlan.objects.create(subdistrict=subdistrict, fiscal_year=fiscal_year, title=title.strip(),
                                          council=council, approved_on=approved_on)
    audit_record(actor=actor, action="councils.plan_create", obj=plan, summary=f"{subdistrict.code} {fiscal_year}")
    return plan


@transaction.atomic
def plan_item_add(*, actor, plan: DevelopmentPlan, issue: str, activity: str, budget_needed: Decimal,
                  done_by: str = PlanItem.DoneBy.COMMUNITY) -> PlanItem:
    """Add a line to the plan; it takes the next number."""
    # of=self: the council is an outer join (a plan may have none), which PostgreSQL cannot lock.
    plan = (DevelopmentPlan.objects.select_for_update(of=("self",))
            .select_related("subdistrict", "council__organisation").get(pk=plan.pk))
    _check_plan_actor(actor, plan)
    if budget_needed < 0:
        raise field_error("budget_needed", "งบประมาณต้องไม่ติดลบ", "the budget cannot be negative", "negative")
    if not activity.strip():
        raise field_error("activity", "ต้องระบุกิจกรรม", "the activity is required", "required")
    number = (plan.items.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    item = PlanItem.objects.create(plan=plan, number=number, issue=issue.strip(), activity=activity.strip(),
                                   budget_needed=budget_needed, done_by=done_by)
    audit_record(actor=actor, action="councils.plan_item_add", obj=item, summary=f"{plan.pk}/{number}",
                 subdistrict=plan.subdistrict, organisation=plan.audit_organisation)
    return item


@transaction.atomic
def plan_item_link(*, actor, item: PlanItem, agency_kind: str, agency_name: str = "", amount: Decimal,
                   fiscal_year: int, local_administration=None) -> PlanItemLink:
    """Record that an item was taken into a local administration's or an agency's plan, with the budget given."""
    item = PlanItem.objects.select_related("plan__subdistrict", "plan__council__organisation").get(pk=item.pk)
    _check_plan_actor(actor, item.plan)
    if agency_kind not in PlanItemLink.AgencyKind.values:
        raise field_error("agency_kind", f"ไม่รู้จักประเภทหน่วยงาน {agency_kind}", f"unknown agency kind {agency_kind}",
                          "agency_kind")
    if agency_kind == PlanItemLink.AgencyKind.LOCAL and local_administration is None:
        raise field_error("local_administration", "ต้องเลือก อปท. ที่รับแผน", "choose the local administration",
                          "required")
    if local_administration is not None:
        agency_name = agency_name.strip() or local_administration.name_th
    if not agency_name.strip():
        raise field_error("agency_name", "ต้องระบุหน่วยงาน", "the agency is required", "required")
    if amount < 0:
        raise field_error("amount", "งบประมาณต้องไม่ติดลบ", "the amount cannot be negative", "negative")
    _check_fiscal_year("fiscal_year", fiscal_year)
    link = PlanItemLink.objects.create(item=item, agency_kind=agency_kind, local_administration=local_administration,
                                       agency_name=agency_name.strip(), amount=amount, fiscal_year=fiscal_year)
    audit_record(actor=actor, action="councils.plan_item_link", obj=link,
                 summary=f"{agency_name} {format_baht(amount)}", subdistrict=item.plan.subdistrict,
                 organisation=item.plan.audit_organisation)
    return link
