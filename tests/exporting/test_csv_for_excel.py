"""The roster CSV as Excel on a Chinese Windows opens it: UTF-8 with a BOM, CRLF line endings, on every platform."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from registry.exporting.roster import ROSTER_COLUMNS, export_roster
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992

NOTES_AT = 1 + ROSTER_COLUMNS.index("notes")


def test_bom_and_crlf_line_endings(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="张三", id_number=ID_MAN_1985, notes="夜班，周末值班, 节假日")
    add_person(reg, name="买买提·艾力", id_number=ID_WOMAN_1992, notes="𠮷野家网点")
    out = tmp_path / "花名册.csv"
    assert export_roster(reg, out) == 2
    data = out.read_bytes()
    # Without the BOM, Excel on a Chinese Windows reads the file as GBK and every name is 乱码.
    assert data.startswith(codecs.BOM_UTF8) and not data.startswith(codecs.BOM_UTF8 * 2)
    text = data[len(codecs.BOM_UTF8):].decode("utf-8")
    # Every record ends in CRLF, Windows' own line ending; no bare LF anywhere.
    assert text.endswith("\r\n") and text.count("\r\n") == 3 and text.count("\n") == 3
    assert '"夜班，周末值班, 节假日"' in text  # a comma inside a cell is quoted
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [r[NOTES_AT] for r in rows[1:]] in (["夜班，周末值班, 节假日", "𠮷野家网点"], ["𠮷野家网点", "夜班，周末值班, 节假日"])
    assert {r[1 + ROSTER_COLUMNS.index("name")] for r in rows[1:]} == {"张三", "买买提·艾力"}
