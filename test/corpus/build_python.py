"""The corpus's Python producers: the logical workbook (logical.json) as openpyxl and XlsxWriter write it.

    /usr/bin/python3 test/corpus/build_python.py OUT_DIR [openpyxl] [xlsxwriter]

writes, into OUT_DIR, for each library asked for (both by default):

    openpyxl-plain.xlsx      every input on a plain sheet (English)
    openpyxl-plain-zh.xlsx   the same in Chinese
    openpyxl-tables.xlsx     every input as an Excel table (ws.add_table)
    xlsxwriter-plain.xlsx    every input on a plain sheet
    xlsxwriter-tables.xlsx   every input as an Excel table (worksheet.add_table)
    xlsxwriter-macro.xlsm    plain sheets plus the vendored VBA project (add_vba_project)

Text is always written as text (a rep named =1+1 stays a name), dates as date cells.
"""

import datetime
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATE_FORMAT = "yyyy-mm-dd"


def load_inputs(lang, dates=True):
    """Each input as (input, sheet name, table sheet name, rows), header row first; cells resolved."""
    with open(os.path.join(HERE, "logical.json"), encoding="utf-8") as f:
        logical = json.load(f)

    def resolve(cell):
        if cell is None or isinstance(cell, (int, float)) or isinstance(cell, str):
            return cell
        if "en" in cell:
            return cell[lang]
        iso = cell.get("month") or cell.get("date")
        if not dates:
            return iso
        parts = [int(p) for p in iso.split("-")] + [1]
        return datetime.date(parts[0], parts[1], parts[2])

    out = []
    for item in logical["inputs"]:
        rows = [[c[lang] for c in item["columns"]]] + [[resolve(c) for c in row] for row in item["rows"]]
        out.append((item["input"], item["sheet"][lang], item["tableSheet"], rows))
    return out


def col_letter(index):
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def table_ref(rows):
    return "A1:%s%d" % (col_letter(len(rows[0]) - 1), len(rows))


# ---------------------------------------------------------------- openpyxl


def openpyxl_book(lang, tables):
    import openpyxl
    from openpyxl.worksheet.table import Table, TableStyleInfo

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, sheet, table_sheet, rows in load_inputs(lang):
        ws = wb.create_sheet(table_sheet if tables else sheet)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c)
                cell.value = value
                if isinstance(value, str):
                    # openpyxl reads a string starting with "=" as a formula: keep it text.
                    cell.data_type = "s"
                elif isinstance(value, datetime.date):
                    cell.number_format = DATE_FORMAT
        if tables:
            table = Table(displayName=name, ref=table_ref(rows))
            table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
            ws.add_table(table)
    return wb


def build_openpyxl(out_dir):
    openpyxl_book("en", False).save(os.path.join(out_dir, "openpyxl-plain.xlsx"))
    openpyxl_book("zh", False).save(os.path.join(out_dir, "openpyxl-plain-zh.xlsx"))
    openpyxl_book("en", True).save(os.path.join(out_dir, "openpyxl-tables.xlsx"))


# ---------------------------------------------------------------- XlsxWriter


def xlsxwriter_book(path, lang, tables, vba=None):
    import xlsxwriter

    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
    date_format = wb.add_format({"num_format": DATE_FORMAT})
    for name, sheet, table_sheet, rows in load_inputs(lang):
        ws = wb.add_worksheet(table_sheet if tables else sheet)
        if tables:
            # The header cells come from the columns; the data cells are written one by one below.
            ws.add_table(
                0, 0, len(rows) - 1, len(rows[0]) - 1,
                {"name": name, "style": "Table Style Medium 2", "columns": [{"header": h} for h in rows[0]]},
            )
        for r, row in enumerate(rows):
            if tables and r == 0:
                continue
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    ws.write_string(r, c, value)
                elif isinstance(value, datetime.date):
                    ws.write_datetime(r, c, datetime.datetime(value.year, value.month, value.day), date_format)
                else:
                    ws.write_number(r, c, value)
    if vba:
        wb.add_vba_project(vba)
    wb.close()


def build_xlsxwriter(out_dir):
    xlsxwriter_book(os.path.join(out_dir, "xlsxwriter-plain.xlsx"), "en", False)
    xlsxwriter_book(os.path.join(out_dir, "xlsxwriter-tables.xlsx"), "en", True)
    xlsxwriter_book(
        os.path.join(out_dir, "xlsxwriter-macro.xlsm"), "en", False,
        vba=os.path.join(HERE, "vendor", "xlsxwriter-vbaProject.bin"),
    )


def main(argv):
    out_dir = argv[1]
    which = argv[2:] or ["openpyxl", "xlsxwriter"]
    os.makedirs(out_dir, exist_ok=True)
    if "openpyxl" in which:
        build_openpyxl(out_dir)
    if "xlsxwriter" in which:
        build_xlsxwriter(out_dir)


if __name__ == "__main__":
    main(sys.argv)
