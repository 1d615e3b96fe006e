"""The dashboard's sections, drawn once for every viewer of the same scope and filters.

The figures are read from the read replica when one is configured (DATABASE_READ_URL).
Each section is its figures and its charts' Vega-Lite specs with their data already in
Arrow: a viewer's run only sends them on. The first viewer of a scope computes it, and
after `CACHE_SECONDS` a background thread computes it again while viewers keep
getting the last one (components.shared_cache): forty screens cost the database what one
does, and no viewer's refresh waits for the queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from components import charts
from components.shared_cache import SharedCache
from portal import clock
from portal.access import Scope
from portal.dashboard import flows, league, metrics
from portal.messages import t
from portal.uow import UnitOfWork

EVERYTHING = metrics.Filters()
# Every viewer of one scope shares one computation of the dashboard, refreshed in the
# background once it is this old (the dashboard redraws every 10 s by default).
CACHE_SECONDS = 10
SECTIONS = SharedCache(ttl=CACHE_SECONDS)
_SPECS: dict[tuple, tuple[pd.DataFrame, dict]] = {}  # the last spec drawn of each frame


@dataclass(frozen=True)
class Drawn:
    """A section as every viewer draws it: its figures, its charts' specs and its tables."""

    data: Any
    specs: dict[str, dict]  # chart key -> Vega-Lite spec, data included
    as_of: dt.datetime
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # values translated


def figures(scope: Scope, flt: metrics.Filters = EVERYTHING, lang: str = "zh") -> Drawn:
    return SECTIONS.get(("overview", scope, flt, lang), lambda: _overview(scope, flt, lang))


def together(scope: Scope, flt: metrics.Filters = EVERYTHING, lang: str = "zh") -> Drawn:
    return SECTIONS.get(("together", scope, flt, lang), lambda: _together(scope, flt, lang))


def efficiency(scope: Scope, flt: metrics.Filters = EVERYTHING, lang: str = "zh") -> Drawn:
    return SECTIONS.get(("efficiency", scope, flt, lang), lambda: _efficiency(scope, flt, lang))


def _spec(key: tuple, frame: pd.DataFrame, build) -> dict:
    """The chart of `frame`, built again only when its figures changed since last drawn:
    between two refreshes most of a dashboard's figures do not."""
    last = _SPECS.get(key)
    if last is not None and last[0].equals(frame):
        return last[1]
    spec = charts.spec(build(frame))
    if len(_SPECS) > 1000:  # filters chosen once and never again
        _SPECS.clear()
    _SPECS[key] = (frame, spec)
    return spec


def _overview(scope: Scope, flt: metrics.Filters, lang: str) -> Drawn:
    data = metrics.overview(UnitOfWork.reading(), scope, flt, lang)
    key = ("overview", scope, flt, lang)
    return Drawn(data, {name: _spec((*key, name), frame, lambda f, b=build: b(f, lang))
                        for name, frame, build in (
        ("per_day", data.per_day, charts.per_day), ("backlog", data.backlog, charts.backlog),
        ("by_status_tier", data.by_status_tier, charts.by_status_tier),
        ("overdue_by_unit", data.overdue_by_unit, charts.overdue_by_unit),
        ("service_mix", data.service_mix, charts.service_mix),
        ("satisfaction", data.satisfaction, charts.satisfaction))}, data.as_of)


def _together(scope: Scope, flt: metrics.Filters, lang: str) -> Drawn:
    data = flows.flows(UnitOfWork.reading(), scope, flt, lang)
    reasons = data.return_reasons.assign(category=data.return_reasons["category"].map(
        lambda c: t(f"return.{c}", lang)))
    return Drawn(data, {
        "matrix": charts.spec(charts.matrix(data.matrix, lang)),
        "return_reasons": charts.spec(charts.returns(reasons, lang)),
        "bounced": charts.spec(charts.bars(data.bounced, "department", "cases", lang,
                                           colour="#c0392b")),
        "workload": charts.spec(charts.bars(data.workload, "person", "open", lang)),
    }, data.as_of, {"return_reasons": reasons})


def _efficiency(scope: Scope, flt: metrics.Filters, lang: str) -> Drawn:
    units, people = league.tables(UnitOfWork.reading(), scope, flt, lang)
    specs, tables = {}, {}
    for label, frame in (("unit", units), ("person", people)):
        specs[f"league_{label}"] = charts.spec(charts.cycle(frame.head(30), label, lang))
        tables[f"league_{label}"] = frame.assign(
            tier=frame["tier"].map(lambda tier: t(f"tier.{tier}", lang)))
    return Drawn((units, people), specs, clock.now(), tables)
