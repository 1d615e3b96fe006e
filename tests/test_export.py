"""Exports: every row and column out, and no cell a spreadsheet would run as a formula."""

import io
import re

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


TRICKY = ["张三\r=1+1", "李四\n+SUM(A1)", " =1+1", "\ufeff=1+1", "\t=1", "\u3000@A1", "a\r\nb"]


def test_line_breaks_and_leading_space_or_bom_cannot_smuggle_a_formula():
    frame = pd.DataFrame({"display_name": TRICKY, "n": range(len(TRICKY))})
    back = pd.read_csv(io.BytesIO(export.to_csv(frame)), encoding="utf-8-sig", dtype=str)
    assert len(back) == len(TRICKY)  # no value broke its row
    assert list(back["n"]) == [str(n) for n in range(len(TRICKY))]
    for value in back["display_name"]:
        assert "\r" not in value and "\n" not in value
        assert value.startswith("'") or value[0] not in "=+-@", value
    assert back["display_name"][0] == "张三 =1+1" and back["display_name"][2] == "' =1+1"
    assert back["display_name"][6] == "a b"
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(frame))).active
    cells = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert all(c.startswith("'") or c[0] not in "=+-@" for c in cells) and len(cells) == 7
    assert all(sheet.cell(row=r, column=1).data_type != "f" for r in range(2, 9))


def test_a_column_name_is_defused_too():
    frame = pd.DataFrame({"=cmd|' /C calc'!A0": ["x"]})
    assert export.to_csv(frame).decode("utf-8-sig").startswith("'=cmd")


def test_the_users_temporary_password_file_is_defused():
    from portal.admin import users
    text = users.passwords_csv([("=1+1", "-2+3")]).decode("utf-8-sig")
    assert text.splitlines()[1] == "'=1+1,'-2+3"


def test_every_table_file_is_written_through_portal_export():
    from db.config import ROOT
    writers = re.compile(r"(?<!export)\.to_(csv|excel)\(")
    sources = [ROOT / "app.py", *[p for d in ("pages", "components", "portal")
                                  for p in (ROOT / d).rglob("*.py")]]
    offenders = [p.name for p in sources if p.name != "export.py"
                 and writers.search(p.read_text(encoding="utf-8"))]
    assert not offenders
