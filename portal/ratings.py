"""Citizens' ratings of their cases and what a bad one sets off.

The citizen rates once per case, on the public status page, behind the same receipt and
phone check that opens it: staff never type a rating for them, so the satisfaction figures
are the citizens' own. A dissatisfied or very dissatisfied rating opens a rectification for
the manager above the unit, due within a few working days.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from db.models import Case, Feedback, Rectification
from portal import clock, lifecycle, workdays
from portal.errors import InvalidInput, InvalidTransition

RATINGS = (5, 4, 3, 2, 1)  # very satisfied ... very dissatisfied
BAD_RATING = 2  # this or worse opens a rectification
RECTIFY_WORKING_DAYS = 5
COMMENT_MAX = 500
# Ratings the figures count: the citizens' own, not what staff once typed at the window.
COUNTED = Feedback.source != "window"


def input_errors(rating: int | None, comment: str) -> dict[str, str]:
    errors = {}
    if rating not in RATINGS:
        errors["rating"] = "rating.error.level"
    if len(comment.strip()) > COMMENT_MAX:
        errors["comment"] = "rating.error.comment_too_long"
    return errors


def rated(session: Session, case_id: int) -> int | None:
    """The citizen's rating of the case, if given."""
    return session.scalar(select(Feedback.rating).where(Feedback.case_id == case_id, COUNTED))


def by_citizen(session: Session, case: Case, rating: int, comment: str) -> int | None:
    """Record the citizen's rating of `case` (locked by the caller, who commits); the id of
    the rectification a bad one opens."""
    if errors := input_errors(rating, comment):
        raise InvalidInput(errors)
    if case.status not in lifecycle.RESULT_KNOWN:
        raise InvalidTransition("rating.error.not_yet")
    if session.scalar(select(exists().where(Feedback.case_id == case.id, COUNTED))):
        raise InvalidTransition("rating.error.already")
    feedback = Feedback(case_id=case.id, rating=rating, comment=comment.strip(),
                        source="citizen", recorded_at=clock.now())
    session.add(feedback)
    session.flush()
    lifecycle.record(session, case, "rated", actor_id=None, data={"rating": rating})
    if rating > BAD_RATING:
        return None
    return _rectify(session, case, feedback).id


def _rectify(session: Session, case: Case, feedback: Feedback) -> Rectification:
    now = clock.now()
    item = Rectification(case_id=case.id, unit_id=case.unit_id, feedback_id=feedback.id,
                         opened_at=now, due_date=workdays.add_working_days(
                             clock.local(now).date(), RECTIFY_WORKING_DAYS,
                             workdays.load(session)))
    session.add(item)
    session.flush()
    lifecycle.record(session, case, "rectification_opened", actor_id=None,
                     data={"rectification_id": item.id})
    return item
