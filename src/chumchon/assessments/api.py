"""The assessments API (django-ninja), mounted at /api/v1/assessments/: instruments (reference data) and the
assessments in the caller's scope, with their dimension scores and answers."""

import datetime
from decimal import Decimal

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from chumchon.access.roles import Action
from chumchon.access.scoping import get_scoped_or_404
from chumchon.assessments import selectors
from chumchon.assessments.models import Assessment
from chumchon.config.api_errors import LimitOffset

router = Router(tags=["assessments"])
MAX_PAGE = 500


class InstrumentOut(Schema):
    id: int
    code: str
    fiscal_year: int
    revision: int
    name_th: str
    name_en: str
    subject_kind: str
    pass_percent: Decimal
    draft_wording: bool
    item_count: int


class AssessmentOut(Schema):
    id: int
    instrument_code: str
    instrument_version: str
    fiscal_year: int
    mode: str
    status: str
    subject: str
    subdistrict_code: str
    score: Decimal | None
    max_score: Decimal | None
    percent: Decimal | None
    level: str
    passed: bool | None

    @staticmethod
    def resolve_instrument_version(obj: Assessment) -> str:
        return obj.instrument.version_label

    @staticmethod
    def resolve_subject(obj: Assessment) -> str:
        return obj.subject_key

    @staticmethod
    def resolve_subdistrict_code(obj: Assessment) -> str:
        return obj.subdistrict_id

    @staticmethod
    def resolve_level(obj: Assessment) -> str:
        return obj.level_code


class DimensionOut(Schema):
    number: int
    name_th: str
    name_en: str
    score: Decimal
    max: Decimal
    percent: Decimal


class AnswerOut(Schema):
    item: str
    value: Decimal
    points: Decimal
    evidence: str


class AssessmentDetailOut(AssessmentOut):
    assessed_on: datetime.date | None
    assessors: str
    dimensions: list[DimensionOut]
    answers: list[AnswerOut]

    @staticmethod
    def resolve_dimensions(obj: Assessment) -> list[dict]:
        return obj.dimension_scores

    @staticmethod
    def resolve_answers(obj: Assessment) -> list[dict]:
        return [{"item": a.item.code, "value": a.value, "points": a.points, "evidence": a.evidence}
                for a in selectors.assessment_answers(obj).values()]


@router.get("/instruments", response=list[InstrumentOut], auth=django_auth)
def instruments(request):
    """Every instrument version (code, fiscal year, revision)."""
    return selectors.instrument_list()


@router.get("/", response=list[AssessmentOut], auth=django_auth)
@paginate(LimitOffset, max_limit=MAX_PAGE)
def assessments(request, fiscal_year: int | None = None, instrument: str = "", level: str = ""):
    """Assessments in the caller's scope, optionally of one fiscal year, instrument code or level."""
    return selectors.assessment_list(request.user, fiscal_year=fiscal_year, instrument_code=instrument, level=level)


@router.get("/{assessment_id}", response=AssessmentDetailOut, auth=django_auth)
def assessment(request, assessment_id: int):
    """One assessment with its dimension scores and answers."""
    return get_scoped_or_404(Assessment.objects.select_related("instrument"), request.user, Action.VIEW,
                             pk=assessment_id)
