"""A paper ledger as typed up in a spreadsheet: for the import's demo, tests and benchmark."""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd

from db import reference as ref

SERVICES = ("PENSION-CERT", "MEDICAL-ENROL", "DIBAO", "HUKOU-MOVE", "POLICY-ASK")
UNITS = ("jiangshan-v01", "jiangshan-v02", "jiangshan", "jiangshan-hrss", "city")


def ledger(rows: int, start: dt.date = dt.date(2023, 1, 3), seed: int = 11) -> pd.DataFrame:
    """`rows` closed cases of 2023–2024, a tenth of the citizens coming twice."""
    rng = random.Random(seed)
    people = [(rng.choice(ref.SURNAMES)[0] + rng.choice(ref.GIVEN_NAMES),
               f"13{rng.randint(100000000, 999999999)}") for _ in range(max(1, rows * 9 // 10))]
    records = []
    for n in range(rows):
        name, phone = rng.choice(people)
        received = start + dt.timedelta(days=rng.randint(0, 700))
        records.append({
            "receipt_no": f"TZ{start.year}-{n + 1:06d}", "received_date": received.isoformat(),
            "service_code": rng.choice(SERVICES), "unit_code": rng.choice(UNITS),
            "citizen_name": name, "phone": phone, "id_number": "", "status": "closed",
            "resolved_date": (received + dt.timedelta(days=rng.randint(0, 12))).isoformat(),
            "outcome": rng.choice(("approved", "approved", "answered", "rejected")),
            "result": "已按台账办结", "rating": str(rng.choice((5, 5, 4, 3))), "note": ""})
    return pd.DataFrame(records)


def as_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8-sig")
