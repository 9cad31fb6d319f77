"""Every write of the assessments app: one transaction, an explicit actor, an audit row."""

from chumchon.assessments.services.assessments import (
    AnswerInput,
    assessment_answer,
    assessment_recompute,
    assessment_start,
    subject_key,
)
from chumchon.assessments.services.common import may_assess
from chumchon.assessments.services.instruments import (
    instrument_in_force,
    instrument_item_update,
    instrument_new_year,
)

__all__ = [
    "AnswerInput", "assessment_answer", "assessment_recompute", "assessment_start", "instrument_in_force",
    "instrument_item_update", "instrument_new_year", "may_assess", "subject_key",
]
