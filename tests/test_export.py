"""Exports: every row and column out, and no cell a spreadsheet would run as a formula."""

import io

import openpyxl
import pandas as pd

from portal import export

FRAME = pd.DataFrame({
    "receipt": ["LX-20261126-000001", "LX-20261126-000002"],
    "citizen": ["=HYPERLINK(\"http://evil\")", "王秀英"],
    "note": ["+1+2", "@SUM(A1)"],
    "amount": [-5, 3],
})


def test_csv_keeps_every_row_and_defuses_formulas():
    text = export.to_csv(FRAME).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text))
    assert list(back["receipt"]) == list(FRAME["receipt"])
    assert back.loc[0, "citizen"].startswith("'=") and back.loc[1, "citizen"] == "王秀英"
    assert list(back["note"]) == ["'+1+2", "'@SUM(A1)"]
    assert list(back["amount"]) == [-5, 3]  # numbers stay numbers


def test_xlsx_cells_are_text_not_formulas():
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(FRAME))).active
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert cells[0][1] == "'=HYPERLINK(\"http://evil\")"
    assert all(sheet.cell(row=r, column=c).data_type != "f"
               for r in range(2, 4) for c in range(1, 5))
