"""Time `python -m portal run` from launch to a served log-in page, on an empty and on a seeded database.

Usage: python -m bench.startup [--runs 3]. Prints a table and writes bench/results/startup.json.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from db.config import ROOT
from tests.browser import CHROMIUM, CHROMIUM_ARGS, free_port

RESULTS = ROOT / "bench" / "results"


def time_start(var_dir: Path, browser) -> dict[str, float]:
    """Seconds from launch to a healthy server and to a visible log-in form."""
    port = free_port()
    env = {**os.environ, "PORTAL_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "portal", "run", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.perf_counter() - started > 300:
                    raise RuntimeError("the portal did not start") from None
                time.sleep(0.1)
        healthy = time.perf_counter() - started
        page = browser.new_page()
        page.goto(base)
        page.get_by_label("密码").wait_for(timeout=60_000)
        login = time.perf_counter() - started
        page.close()
        return {"healthy_s": round(healthy, 2), "login_page_s": round(login, 2)}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows: dict[str, list[dict[str, float]]] = {"empty database": [], "seeded database": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as var:
                rows["empty database"].append(time_start(Path(var), browser))
                rows["seeded database"].append(time_start(Path(var), browser))
        browser.close()
    summary = {name: {key: statistics.median(run[key] for run in runs) for key in runs[0]}
               for name, runs in rows.items()}
    print(f"{'start of python -m portal run':<32}{'healthy (s)':>14}{'log-in page (s)':>18}")
    for name, medians in summary.items():
        print(f"{name:<32}{medians['healthy_s']:>14.2f}{medians['login_page_s']:>18.2f}")
    print(f"(median of {args.runs} runs each)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps({"runs": rows, "median": summary}, indent=2))


if __name__ == "__main__":
    main()
