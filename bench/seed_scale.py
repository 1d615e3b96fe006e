"""Time loading the demo data at the source programme's scale into a fresh embedded database.

Usage: python -m bench.seed_scale [--cases 200000] [--runs 1]. Prints a table and writes
bench/results/seed_scale.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from sqlalchemy import text

from db import embedded, migrate
from db.config import ROOT
from db.engine import make_engine
from db.seed import seed

RESULTS = ROOT / "bench" / "results"


def one_run(cases: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as var:
        pgdata = Path(var) / "pgdata"
        url = embedded.start(pgdata)
        migrate.upgrade(url)
        engine = make_engine(url)
        took = seed(engine, cases)
        with engine.connect() as conn:
            counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                      for t in ("cases", "case_events", "handoffs", "feedback")}
        engine.dispose()
        embedded.stop(pgdata)
    return {"seconds": round(took, 1), **counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    runs = [one_run(args.cases) for _ in range(args.runs)]
    median = statistics.median(r["seconds"] for r in runs)
    print(f"{'cases':>10}{'events':>10}{'hand-offs':>11}{'feedback':>10}{'seconds':>10}")
    for r in runs:
        print(f"{r['cases']:>10}{r['case_events']:>10}{r['handoffs']:>11}{r['feedback']:>10}"
              f"{r['seconds']:>10}")
    print(f"median of {args.runs}: {median} s")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "seed_scale.json").write_text(json.dumps({"runs": runs, "median_s": median}, indent=2))


if __name__ == "__main__":
    main()
