"""Writes for instruments: which revision is in force, editing an item (a used revision is never changed: the edit
makes the next revision), and carrying an instrument into a new fiscal year."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max

from chumchon.assessments.models import Dimension, Instrument, Item, LevelBand
from chumchon.assessments.services.common import check_national_editor, field_error
from chumchon.core.audit import audit_record

EDITABLE_ITEM_FIELDS = ("text_th", "text_en", "points", "answer_type", "scale_max", "number_target", "number_max",
                        "evidence_required")


def instrument_in_force(code: str, fiscal_year: int) -> Instrument | None:
    """The latest revision of the instrument version in force for a fiscal year (the newest fiscal year not after
    it)."""
    return (Instrument.objects.filter(code=code, fiscal_year__lte=fiscal_year)
            .order_by("-fiscal_year", "-revision").first())


def _copy(instrument: Instrument, *, fiscal_year: int, revision: int) -> tuple[Instrument, dict[int, Item]]:
    """A full copy of an instrument under a new version; returns it and old item pk → new item."""
    dimensions = list(instrument.dimensions.all())
    items = list(instrument.items.all())
    bands = list(instrument.bands.all())
    copy = Instrument.objects.create(
        code=instrument.code, fiscal_year=fiscal_year, revision=revision, name_th=instrument.name_th,
        name_en=instrument.name_en, subject_kind=instrument.subject_kind, pass_percent=instrument.pass_percent,
        draft_wording=instrument.draft_wording, description=instrument.description)
    new_dims = {d.pk: Dimension.objects.create(instrument=copy, number=d.number, name_th=d.name_th,
                                               name_en=d.name_en) for d in dimensions}
    mapping = {}
    for item in items:
        mapping[item.pk] = Item.objects.create(
            instrument=copy, dimension=new_dims[item.dimension_id], code=item.code, order=item.order,
            **{f: getattr(item, f) for f in EDITABLE_ITEM_FIELDS})
    for band in bands:
        LevelBand.objects.create(instrument=copy, code=band.code, label_th=band.label_th, label_en=band.label_en,
                                 min_percent=band.min_percent)
    return copy, mapping


@transaction.atomic
def instrument_new_year(*, actor, instrument: Instrument, fiscal_year: int) -> Instrument:
    """Carry an instrument into a new fiscal year (revision 1 of that year), to be edited for it."""
    check_national_editor(actor)
    if fiscal_year <= instrument.fiscal_year:
        raise field_error("fiscal_year", f"ปีงบประมาณต้องหลัง {instrument.fiscal_year}",
                          f"the fiscal year must be after {instrument.fiscal_year}", "fiscal_year")
    if Instrument.objects.filter(code=instrument.code, fiscal_year=fiscal_year).exists():
        raise field_error("fiscal_year", f"มีแบบประเมินปี {fiscal_year} แล้ว", f"FY {fiscal_year} exists already",
                          "duplicate")
    copy, _ = _copy(instrument, fiscal_year=fiscal_year, revision=1)
    audit_record(actor=actor, action="assessments.instrument_new_year", obj=copy, summary=str(copy))
    return copy


def _clean_item_changes(item: Item, changes: dict) -> dict:
    unknown = set(changes) - set(EDITABLE_ITEM_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    cleaned = dict(changes)
    for name in ("points", "number_target", "number_max"):
        if cleaned.get(name) is not None:
            try:
                cleaned[name] = Decimal(str(cleaned[name]))
            except InvalidOperation:
                raise field_error(name, f"'{cleaned[name]}' ไม่ใช่ตัวเลข", f"'{cleaned[name]}' is not a number",
                                  "invalid") from None
    merged = {f: cleaned.get(f, getattr(item, f)) for f in EDITABLE_ITEM_FIELDS}
    if merged["points"] is None or merged["points"] <= 0:
        raise field_error("points", "คะแนนต้องมากกว่า 0", "points must be more than 0", "points")
    if merged["answer_type"] == Item.AnswerType.SCALE and not (merged["scale_max"] or 0) >= 1:
        raise field_error("scale_max", "ต้องระบุค่าสูงสุดของมาตรวัด", "a scale needs its highest value", "scale_max")
    if merged["answer_type"] == Item.AnswerType.NUMBER and not (merged["number_target"] or 0) > 0:
        raise field_error("number_target", "ต้องระบุค่าเป้าหมายที่ได้คะแนนเต็ม", "a number item needs a target",
                          "number_target")
    if not (merged["text_th"] or "").strip():
        raise field_error("text_th", "ต้องระบุข้อความตัวชี้วัด", "the item's Thai text is required", "required")
    return cleaned


@transaction.atomic
def instrument_item_update(*, actor, item: Item, **changes) -> Item:
    """Edit an item. When assessments already used this revision, the edit goes into a new revision (the next
    number, same fiscal year), so only assessments started from now on use it; returns the edited item (which is
    on the new revision in that case)."""
    check_national_editor(actor)
    item = Item.objects.select_related("instrument").get(pk=item.pk)
    cleaned = _clean_item_changes(item, changes)
    instrument = item.instrument
    latest = Instrument.objects.filter(code=instrument.code, fiscal_year=instrument.fiscal_year).aggregate(
        r=Max("revision"))["r"]
    if latest != instrument.revision:
        raise field_error("revision", f"แก้ไขได้เฉพาะฉบับล่าสุด ({instrument.fiscal_year}.{latest})",
                          f"only the latest revision ({instrument.fiscal_year}.{latest}) can be edited", "stale")
    if instrument.assessments.exists():
        instrument, mapping = _copy(instrument, fiscal_year=instrument.fiscal_year, revision=instrument.revision + 1)
        item = mapping[item.pk]
        audit_record(actor=actor, action="assessments.instrument_revise", obj=instrument, summary=str(instrument))
    before = {f: str(getattr(item, f)) for f in cleaned}
    for name, value in cleaned.items():
        setattr(item, name, value)
    item.save(update_fields=list(cleaned))
    audit_record(actor=actor, action="assessments.item_update", obj=item, summary=f"{instrument} {item.code}",
                 data={"fields": sorted(cleaned), "before": before})
    return item
