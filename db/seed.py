"""Load demo data into a migrated database: reference data once, then historical cases."""

from __future__ import annotations

import time

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import demo, history


def seed(engine: Engine, cases: int, *, only_if_empty: bool = False,
         password: str = demo.DEMO_PASSWORD) -> float | None:
    """Load the demo data (the demo logins with `password`); returns the seconds it took, or
    None when skipped."""
    started = time.perf_counter()
    with Session(engine) as session:
        empty = demo.is_empty(session)
        if only_if_empty and not empty:
            return None
        if empty:
            demo.load_reference(session, password=password)
            session.commit()
    with engine.begin() as conn:
        history.generate(conn, cases)
    return time.perf_counter() - started
