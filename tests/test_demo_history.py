"""The demo's year of history teaches what the portal does: every bad rating opened a
rectification (most closed by the manager above, with the call back), and everything people
read is in Chinese, as a Laixi hall would have written it."""

from __future__ import annotations

import re

from sqlalchemy import create_engine, text

from db import migrate, seed


def test_the_history_has_rectifications_for_its_bad_ratings_and_chinese_reasons(scratch):
    migrate.upgrade(scratch)
    engine = create_engine(scratch)
    try:
        seed.seed(engine, 3000)
        with engine.connect() as conn:
            bad = conn.scalar(text("SELECT count(*) FROM feedback WHERE rating <= 2"))
            sources = conn.scalars(text("SELECT DISTINCT source FROM feedback")).all()
            opened, closed, called = conn.execute(text(
                "SELECT count(*), count(closed_at), count(*) FILTER (WHERE called_at IS NOT NULL "
                "AND call_note <> '' AND new_rating IS NOT NULL) "
                "FROM rectifications")).one()
            unmatched = conn.scalar(text(
                "SELECT count(*) FROM rectifications r JOIN feedback f ON f.id = r.feedback_id "
                "WHERE f.rating > 2 OR f.case_id <> r.case_id"))
            reasons = conn.scalars(text(
                "SELECT DISTINCT reason FROM handoffs UNION "
                "SELECT DISTINCT return_reason FROM handoffs WHERE return_reason IS NOT NULL "
                "UNION SELECT DISTINCT action_taken FROM rectifications "
                "UNION SELECT DISTINCT call_note FROM rectifications")).all()
    finally:
        engine.dispose()
    assert bad > 0 and opened == bad and unmatched == 0
    assert sources == ["citizen"]  # the citizens' own ratings, as the status page takes them
    assert 0 < closed < opened and called == closed  # the recent ones are still open
    assert reasons and not [r for r in reasons if re.search(r"[A-Za-z]", r)]
