"""Writes for assessments: starting one for a subject and fiscal year, answering it (and submitting it, when the
engine scores it and the result is kept), and recomputing it from its own instrument revision."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chumchon.assessments import engine
from chumchon.assessments.models import Answer, Assessment, Instrument, subject_key
from chumchon.assessments.services.common import check_assessment_actor, field_error
from chumchon.assessments.services.instruments import instrument_in_force
from chumchon.core.audit import audit_record
from chumchon.core.models import Organisation

ORGANISATION_KIND = {
    Instrument.SubjectKind.COUNCIL: Organisation.Kind.COUNCIL,
    Instrument.SubjectKind.WELFARE_FUND: Organisation.Kind.WELFARE_FUND,
    Instrument.SubjectKind.COMMUNITY_ORGANISATION: Organisation.Kind.COMMUNITY_ORGANISATION,
}


@dataclass
class AnswerInput:
    """What was typed for one item: the value ('' or None = not answered), evidence text, an optional file."""

    value: object = None
    evidence: str = ""
    evidence_file: object = None


@transaction.atomic
def assessment_start(*, actor, instrument_code: str, fiscal_year: int, subdistrict=None, organisation=None,
                     mode: str = Assessment.Mode.SELF, assessors: str = "",
                     assessed_on: datetime.date | None = None) -> Assessment:
    """Open an assessment of a subject for a fiscal year with the instrument revision in force for that year."""
    if mode not in Assessment.Mode.values:
        raise field_error("mode", f"ไม่รู้จักประเภทการประเมิน {mode}", f"unknown kind {mode}", "mode")
    instrument = instrument_in_force(instrument_code, fiscal_year)
    if instrument is None:
        raise field_error("fiscal_year", f"ไม่มีแบบประเมิน {instrument_code} สำหรับปีงบประมาณ {fiscal_year}",
                          f"no instrument {instrument_code} in force for FY {fiscal_year}", "no_instrument")
    if instrument.subject_kind == Instrument.SubjectKind.SUBDISTRICT:
        if subdistrict is None or organisation is not None:
            raise field_error("subject", "แบบประเมินนี้ใช้ประเมินตำบล", "this instrument assesses a subdistrict",
                              "subject_kind")
    else:
        if organisation is None or organisation.kind != ORGANISATION_KIND[instrument.subject_kind]:
            raise field_error("subject", f"แบบประเมินนี้ใช้ประเมิน{instrument.get_subject_kind_display()}",
                              f"this instrument assesses a {instrument.subject_kind}", "subject_kind")
        subdistrict = organisation.subdistrict
    check_assessment_actor(actor, subdistrict=subdistrict, organisation=organisation, mode=mode)
    key = subject_key(subdistrict=subdistrict, organisation=organisation)
    if Assessment.objects.filter(instrument_code=instrument.code, fiscal_year=fiscal_year, mode=mode,
                                 subject_key=key).exists():
        raise field_error("fiscal_year", f"มีการประเมินนี้ของปีงบประมาณ {fiscal_year} แล้ว",
                          f"this subject already has this assessment for FY {fiscal_year}", "duplicate")
    assessment = Assessment.objects.create(
        instrument=instrument, instrument_code=instrument.code, fiscal_year=fiscal_year, mode=mode,
        subdistrict=subdistrict, organisation=organisation, subject_key=key, assessors=assessors.strip(),
        assessed_on=assessed_on, created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, action="assessments.assessment_start", obj=assessment, summary=str(assessment))
    return assessment


def _apply_result(assessment: Assessment, answers: list[Answer]) -> engine.Result:
    instrument = assessment.instrument
    items = list(instrument.items.select_related("dimension"))
    result = engine.score(items, {a.item_id: a.points for a in answers}, list(instrument.bands.all()),
                          instrument.pass_percent)
    assessment.score, assessment.max_score, assessment.percent = result.score, result.max_score, result.percent
    band = result.band
    assessment.level_code = band.code if band else ""
    assessment.level_label_th = band.label_th if band else ""
    assessment.level_label_en = band.label_en if band else ""
    assessment.passed = result.passed
    assessment.dimension_scores = [d.to_dict() for d in result.dimensions]
    return result


@transaction.atomic
def assessment_answer(*, actor, assessment: Assessment, answers: dict[str, AnswerInput], submit: bool = False,
                      assessors: str | None = None, assessed_on: datetime.date | None = None) -> Assessment:
    """Save answers (``item code → AnswerInput``) and, with ``submit``, score and close the assessment.

    Every answer is checked first — an answer outside the item's range, or a scoring answer without its
    required evidence at submission — and all problems are reported together, one per item; then nothing is saved.
    """
    assessment = (Assessment.objects.select_for_update(of=("self",))
                  .select_related("instrument", "subdistrict", "organisation").get(pk=assessment.pk))
    check_assessment_actor(actor, subdistrict=assessment.subdistrict, organisation=assessment.organisation,
                           mode=assessment.mode)
    if assessment.status == Assessment.Status.SUBMITTED:
        raise field_error("status", "การประเมินนี้ส่งแล้ว แก้ไขไม่ได้", "this assessment was submitted already",
                          "submitted")
    items = {i.code: i for i in assessment.instrument.items.select_related("dimension")}
    existing = {a.item.code: a for a in assessment.answers.select_related("item")}
    errors: dict[str, list[ValidationError]] = {}
    changes: dict[str, tuple[Decimal | None, AnswerInput]] = {}
    for code, given in answers.items():
        item = items.get(code)
        if item is None:
            errors.setdefault("answers", []).append(ValidationError(
                f"ไม่มีข้อ {code} ในแบบประเมินนี้ (no item {code} in this instrument)", code="unknown_item"))
            continue
        if given.value is None or str(given.value).strip() == "":
            changes[code] = (None, given)
            continue
        try:
            changes[code] = (engine.answer_value(item, given.value), given)
        except engine.AnswerOutOfRange as exc:
            errors.setdefault(f"answer_{code}", []).append(ValidationError(str(exc), code="out_of_range"))
    if submit:
        for code, item in items.items():
            value, given = changes.get(code, (None, None))
            answer = existing.get(code)
            if code not in changes and answer is not None:
                value = answer.value
            if value is None:
                if f"answer_{code}" not in errors:
                    errors.setdefault(f"answer_{code}", []).append(ValidationError(
                        f"ข้อ {code}: ยังไม่ได้ตอบ (item {code} is not answered)", code="unanswered"))
                continue
            if item.evidence_required and engine.item_points(item, value) > 0:
                text = given.evidence.strip() if given is not None else (answer.evidence if answer else "")
                has_file = bool(given is not None and given.evidence_file) or bool(answer and answer.evidence_file)
                has_evidence = bool(text) or has_file
                if not has_evidence:
                    errors.setdefault(f"evidence_{code}", []).append(ValidationError(
                        f"ข้อ {code}: ต้องแนบหลักฐาน (item {code} requires evidence)", code="evidence_required"))
    if errors:
        raise ValidationError(errors)
    for code, (value, given) in changes.items():
        item = items[code]
        answer = existing.get(code)
        if value is None:
            if answer is not None:
                answer.delete()
                existing.pop(code)
            continue
        if answer is None:
            answer = Answer(assessment=assessment, item=item)
        answer.value, answer.points = value, engine.item_points(item, value)
        answer.evidence = given.evidence.strip()
        if given.evidence_file:
            answer.evidence_file = given.evidence_file
        answer.save()
        existing[code] = answer
    if assessors is not None:
        assessment.assessors = assessors.strip()
    if assessed_on is not None:
        assessment.assessed_on = assessed_on
    if submit:
        _apply_result(assessment, list(existing.values()))
        assessment.status = Assessment.Status.SUBMITTED
        assessment.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
        assessment.assessed_on = assessment.assessed_on or timezone.localdate()
    assessment.save()
    audit_record(actor=actor, action="assessments.assessment_submit" if submit else "assessments.assessment_answer",
                 obj=assessment, summary=f"{assessment} · {len(changes)} ข้อ (answers)"
                 + (f" · {assessment.score}% {assessment.level_label_th or assessment.level_code}" if submit else ""))
    return assessment


@transaction.atomic
def assessment_recompute(*, actor, assessment: Assessment) -> Assessment:
    """Score a submitted assessment again from its answers and its own instrument revision (for example after a
    correction of the engine). An edit of the instrument made a new revision, so it does not apply here."""
    assessment = (Assessment.objects.select_for_update(of=("self",))
                  .select_related("instrument", "subdistrict", "organisation").get(pk=assessment.pk))
    check_assessment_actor(actor, subdistrict=assessment.subdistrict, organisation=assessment.organisation,
                           mode=Assessment.Mode.SELF)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise field_error("status", "การประเมินยังไม่ได้ส่ง", "the assessment is not submitted", "draft")
    answers = list(assessment.answers.select_related("item"))
    for answer in answers:
        answer.points = engine.item_points(answer.item, answer.value)
        answer.save(update_fields=["points"])
    before = (assessment.score, assessment.level_code)
    _apply_result(assessment, answers)
    assessment.save()
    audit_record(actor=actor, action="assessments.assessment_recompute", obj=assessment,
                 summary=f"{before[0]}% {before[1]} → {assessment.score}% "
                         f"{assessment.level_label_th or assessment.level_code}")
    return assessment
