"""The dashboard's charts read right: checked in their Vega-Lite specs, as the browser gets
them, so that a regression fails here and not in a manager's meeting.

Each chart is built from a frame shaped as its read model returns it; the league's from the
read model itself, since its durations' type comes from the database.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest

from components import charts, dashboard_data
from components.dashboard_view import _change
from portal.casework import casework, queue
from portal.dashboard import metrics
from portal.messages import t
from portal.uow import UnitOfWork
from tests.conftest import actor_for
from tests.factories import new_case

LANGS = ("zh", "en")
LONG_NAME = "市民中心医疗保障服务窗口（城乡居民医保）"
UNITS = [f"{LONG_NAME}{i}" for i in range(12)]
DAYS = pd.date_range("2026-11-01", periods=10).date


def frames() -> dict[str, pd.DataFrame]:
    """One frame per chart, as the read models return them."""
    return {
        "per_day": pd.DataFrame({"day": list(DAYS) * 2, "kind": ["received"] * 10 + ["resolved"]
                                 * 10, "cases": [1, 0, 2, 1, 0, 1, 1, 0, 0, 1] * 2}),
        "backlog": pd.DataFrame({"day": DAYS, "open": [1, 1, 2, 2, 1, 0, 1, 1, 2, 1]}),
        "by_status_tier": pd.DataFrame({"status": ["received", "in_progress", "received"],
                                        "tier": ["village", "township", "city"],
                                        "cases": [1, 2, 1]}),
        "overdue_by_unit": pd.DataFrame({"unit_id": range(12), "unit": UNITS,
                                         "cases": [1] * 12}),
        "service_mix": pd.DataFrame({"category": ["household", "legal"], "cases": [3, 1]}),
        "satisfaction": pd.DataFrame({"unit": UNITS[:2] * 2, "rating": [5, 1, 4, 2],
                                      "count": [3, 1, 2, 1]}),
        "matrix": matrix_frame(6),
        "workload": pd.DataFrame({"person": [f"张{i}" for i in range(10)],
                                  "unit": UNITS[:10], "open": [1] * 10}),
        "returns": pd.DataFrame({"department": ["民政局", "人社局"],
                                 "category": ["wrong_tier", "other"], "returns": [1, 2]}),
    }


def matrix_frame(departments: int) -> pd.DataFrame:
    names = [f"第{i}部门行政审批服务科" for i in range(departments)]
    pairs = [(a, b) for a in range(departments) for b in range(departments) if a != b]
    return pd.DataFrame({"from_id": [a for a, _ in pairs], "to_id": [b for _, b in pairs],
                         "from_dept": [names[a] for a, _ in pairs],
                         "to_dept": [names[b] for _, b in pairs], "handoffs": [1] * len(pairs),
                         "median_hours": [2.5] * len(pairs), "return_rate": [0.0] * len(pairs)})


def built(name: str, frame: pd.DataFrame, lang: str) -> dict:
    if name == "workload":
        return charts.spec(charts.bars(frame, "person", "open", lang))
    if name == "returns":
        translated = frame.assign(category=frame["category"].map(lambda c: t(f"return.{c}",
                                                                                lang)))
        return charts.spec(charts.returns(translated, lang))
    return charts.spec(getattr(charts, name)(frame, lang))


def encodings(spec: dict) -> list[dict]:
    return [layer["encoding"] for layer in spec.get("layer", [spec])]


def data(spec: dict) -> pd.DataFrame:
    """The chart's data as the browser decodes it from Arrow."""
    (arrow,) = spec["datasets"].values()
    return pa.ipc.open_stream(arrow).read_all().to_pandas()


COUNTS = {"per_day": "y", "backlog": "y", "by_status_tier": "x", "overdue_by_unit": "x",
          "workload": "x", "returns": "x"}


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_a_count_axis_shows_whole_numbers_only(name):
    # Every count here is small (one or two cases a day), where Vega-Lite would tick 0.2 … 1.0.
    channel = encodings(built(name, frames()[name], "zh"))[0][COUNTS[name]]
    assert channel["axis"]["format"] == "d"
    assert channel["axis"]["tickMinStep"] == 1


NAMED_ROWS = ("by_status_tier", "overdue_by_unit", "satisfaction", "matrix", "workload",
              "returns")


@pytest.mark.parametrize("name", NAMED_ROWS)
def test_every_name_has_a_row_of_its_own_and_is_not_cut(name):
    spec = built(name, frames()[name], "zh")
    assert spec["height"]["step"] >= 20  # one row a name: no label hidden to avoid overlap
    names = encodings(spec)[0]["y"]["axis"]
    assert names["labelOverlap"] is False
    assert names["labelLimit"] >= 12 * len(LONG_NAME)  # a long unit's name at 12 px a character
    tooltip_fields = {item["field"] for item in encodings(spec)[0]["tooltip"]}
    assert encodings(spec)[0]["y"]["field"] in tooltip_fields  # the full name on hover


@pytest.mark.parametrize("name", sorted(frames()))
def test_the_axes_are_drawn_around_the_plot_not_inside_its_height(name):
    # Streamlit's default ("fit") squeezed the matrix to a 2 px strip under its long labels.
    assert built(name, frames()[name], "zh")["autosize"]["type"] == "fit-x"


@pytest.mark.parametrize("departments", [3, 12])
def test_the_matrix_is_a_heatmap_of_square_rows_for_every_department(departments):
    spec = built("matrix", matrix_frame(departments), "zh")
    cells, labels = spec["layer"]
    assert cells["mark"]["type"] == "rect" and labels["mark"]["type"] == "text"
    assert {cells["encoding"]["x"]["type"], cells["encoding"]["y"]["type"]} == {"nominal"}
    assert spec["height"]["step"] >= 40  # plot height grows with the departments
    assert cells["encoding"]["color"]["legend"]["format"] == "d"
    shown = data(spec)
    assert shown["from_dept"].nunique() == departments


@pytest.mark.parametrize("name", ["per_day", "by_status_tier", "service_mix", "satisfaction",
                                  "returns"])
def test_a_series_has_the_same_colour_in_both_languages(name):
    scales = {lang: next(e["color"]["scale"] for e in encodings(built(name, frames()[name], lang)))
              for lang in LANGS}
    assert scales["zh"]["range"] == scales["en"]["range"]
    assert len(scales["zh"]["domain"]) == len(scales["zh"]["range"])
    # The same position in the domain is the same series: zh and en name the same keys.
    assert scales["zh"]["domain"] != scales["en"]["domain"]


def test_the_league_plots_days_that_match_its_table(committed, tuned, frozen_clock):
    from portal import clock
    tuned(league_min_cases=1)
    agent = actor_for("agent")
    for days in (2, 5, 9):  # taken in that many days before it was resolved yesterday
        frozen_clock(dt.datetime(2026, 11, 30 - days, 10, 0, tzinfo=clock.TZ))
        case_id = new_case(UnitOfWork(), agent).case_id
        queue.claim(UnitOfWork(), agent, case_id)
        frozen_clock(dt.datetime(2026, 11, 30, 10, 0, tzinfo=clock.TZ))
        casework.resolve(UnitOfWork(), agent, case_id, "approved", "已办结")
    frozen_clock(dt.datetime(2026, 12, 1, 10, 0, tzinfo=clock.TZ))
    drawn = dashboard_data.efficiency(actor_for("manager").scope, metrics.Filters(), "zh")
    table = drawn.tables["league_unit"]
    assert not table.empty
    assert table["median_cycle_days"].iloc[0] == pytest.approx(5.0)
    plotted = data(drawn.specs["league_unit"])
    assert plotted["median_cycle_days"].dtype.kind == "f"  # plain days, not a duration
    assert plotted["median_cycle_days"].max() == pytest.approx(5.0)
    days = drawn.specs["league_unit"]["layer"][0]["encoding"]["x"]
    assert days["type"] == "quantitative" and days["axis"]["format"] == ".1f"


def test_a_tile_change_says_unchanged_or_percentage_points():
    rate = metrics.Tile(value=0.5, previous=0.535)
    flat = metrics.Tile(value=3, previous=3)
    assert _change("on_time_rate", rate) == "-3.5 个百分点"
    assert "pp" not in _change("on_time_rate", rate)
    assert _change("open", flat) == t("dash.unchanged", "zh")
    assert _change("on_time_rate", metrics.Tile(value=0.5, previous=0.5)) == t(
        "dash.unchanged", "zh")
