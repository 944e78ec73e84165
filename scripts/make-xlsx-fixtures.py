#!/usr/bin/env python3
"""Writes the .xlsx fixtures in Tests/Fixtures/xlsx/ (see the README there).

Usage: pip install openpyxl==3.1.5; python3 scripts/make-xlsx-fixtures.py   (from the repository root)

openpyxl writes the QuantStudio-like workbook (styles with built-in and custom number formats, two
sheets, booleans, an error cell, a rich-text run); its inline strings are then moved into a shared-string
table, as Excel stores text. The hand-written ones carry what openpyxl never writes (inline
strings, the 1904 date system, cells without references) and the damaged cases.
"""

import datetime
import os
import re
import zipfile

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "xlsx")


def shared_strings(path):
    """Moves every inline string of `path` into xl/sharedStrings.xml, as Excel stores text (openpyxl 3.1
    writes inline strings); equal texts share one entry, rich-text runs are kept."""
    with zipfile.ZipFile(path) as source:
        entries = {info.filename: source.read(info).decode() for info in source.infolist()}
    table, index = [], {}

    def shared(match):
        body = match.group(2)
        if body not in index:
            index[body] = len(table)
            table.append(body)
        return f'{match.group(1)} t="s"><v>{index[body]}</v></c>'

    for name in sorted(entries):
        if name.startswith("xl/worksheets/"):
            entries[name] = re.sub(r'(<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?) t="inlineStr"><is>(.*?)</is></c>', shared, entries[name])
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    entries["xl/sharedStrings.xml"] = (
        f'<sst xmlns="{main}" count="{len(table)}" uniqueCount="{len(table)}">'
        + "".join(f"<si>{body}</si>" for body in table)
        + "</sst>"
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    entries["xl/_rels/workbook.xml.rels"] = entries["xl/_rels/workbook.xml.rels"].replace(
        "</Relationships>", f'<Relationship Id="rIdStrings" Type="{rel}" Target="sharedStrings.xml"/></Relationships>'
    )
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/></Types>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, text in entries.items():
            out.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text, zipfile.ZIP_DEFLATED)


def quantstudio():
    book = openpyxl.Workbook()
    setup = book.active
    setup.title = "Sample Setup"
    setup.append(["Well", "Well Position", "Sample Name", "Target Name"])
    setup.append([1, "A1", "P01-T0", "hsa-miR-21-5p"])
    results = book.create_sheet("Results")
    results.append(["* Experiment Name", "exosome plate 3"])
    results.append(["* Instrument Type", "QuantStudio 5"])
    results.append([])
    results.append(["Well", "Well Position", "Sample Name", "Target Name", "CT", "Ct Threshold", "Run Date", "Omit"])
    rows = [
        (1, "A1", "P01-T0", "hsa-miR-21-5p", 27.345, 0.2, datetime.date(2026, 3, 14), False),
        (2, "A2", "P01-T0", "hsa-miR-21-5p", 27.512, 0.2, datetime.date(2026, 3, 14), False),
        (3, "A3", "NTC", "hsa-miR-21-5p", "Undetermined", 0.2, datetime.date(2026, 3, 14), True),
        (4, "A4", None, "U6", 1.0 / 3.0, 0.2, datetime.date(2026, 3, 15), False),
    ]
    for row in rows:
        results.append(list(row))
    for cell in results["G"][4:]:
        cell.number_format = "dd/mm/yyyy"  # a custom date format
    results["F9"] = 1e-7
    results["H9"] = "#N/A"  # openpyxl stores this as an error cell (t="e")
    # Rich text in a shared string: two runs, one bold.
    results["J5"] = CellRichText([TextBlock(InlineFont(b=True), "miR-21"), " (5p arm)"])
    # A built-in date format (14) and a time format that must stay a number.
    results["J6"] = datetime.date(2025, 12, 31)
    results["J6"].number_format = "mm-dd-yy"
    results["J7"] = 0.5
    results["J7"].number_format = "h:mm"
    results["J8"] = 24
    path = os.path.join(HERE, "quantstudio-results.xlsx")
    book.save(path)
    shared_strings(path)


WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<workbookPr date1904="1"/>
<sheets><sheet name="Plate" sheetId="1" r:id="rId1"/><sheet name="Gone" sheetId="2" r:id="rId2"/></sheets>
</workbook>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/../worksheets/plate.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/gone.xml"/>
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""
PLATE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>Well</t></is></c><c r="B1" t="inlineStr"><is><r><t>C</t></r><r><rPr><b/></rPr><t>q</t></r><rPh><t>ignored</t></rPh></is></c><c r="C1" t="inlineStr"><is><t>Date</t></is></c></row>
<row><c t="inlineStr"><is><t xml:space="preserve"> B7 </t></is></c><c><v>27.344999999999999</v></c><c s="1"><v>0</v></c><c t="b"><v>1</v></c></row>
<row r="7"><c r="B7" t="str"><f>A2</f><v>B7</v></c><c r="D7" t="e"><v>#DIV/0!</v></c></row>
</sheetData>
</worksheet>"""
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"""


def handwritten(file, parts):
    with zipfile.ZipFile(os.path.join(HERE, file), "w", zipfile.ZIP_DEFLATED) as out:
        for name, text in parts.items():
            out.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text, zipfile.ZIP_DEFLATED)


def main():
    os.makedirs(HERE, exist_ok=True)
    quantstudio()
    # Inline strings, rich runs with a phonetic guide, the 1904 date system, cells without references,
    # a formula string, a boolean, an error; its second sheet "Gone" names a part the archive lacks.
    handwritten(
        "inline-1904.xlsx",
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": WORKBOOK,
            "xl/_rels/workbook.xml.rels": RELS,
            "xl/styles.xml": STYLES,
            "xl/worksheets/plate.xml": PLATE,
        },
    )
    # A zip archive that is not a workbook.
    handwritten("no-workbook.xlsx", {"[Content_Types].xml": CONTENT_TYPES, "docProps/app.xml": "<Properties/>"})
    # A cell reference that is not one.
    handwritten(
        "bad-reference.xlsx",
        {
            "xl/workbook.xml": WORKBOOK.replace('<sheet name="Gone" sheetId="2" r:id="rId2"/>', ""),
            "xl/_rels/workbook.xml.rels": RELS,
            "xl/worksheets/plate.xml": PLATE.replace('r="D7"', 'r="7D"'),
        },
    )


main()
