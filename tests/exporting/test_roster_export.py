"""The roster export on demo data: order, filters, layout, IDs as text, CSV, re-import, failures and the audit trail."""

from __future__ import annotations

import codecs
import csv
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from registry.demo import fill_demo
from registry.errors import UserError
from registry.exporting.roster import ROSTER_COLUMNS as ROSTER_KEYS  # the export's columns, 外出流向 included
from registry.exporting.roster import export_roster, roster_labels, roster_values
from registry.importing.service import import_files
from registry.rules.idnumber import mask_id
from registry.services.history import history, set_setting
from registry.services.organizations import require_org, subtree_ids
from registry.services.people import edit_person
from registry.services.search import PeopleFilter, search_people
from registry.storage.database import Registry

ID_AT = 1 + ROSTER_KEYS.index("id_number")  # 序号 comes first
PHONE_AT = 1 + ROSTER_KEYS.index("phone")
FLOWING_AT = 1 + ROSTER_KEYS.index("flowing")
ORG_AT = 1 + ROSTER_KEYS.index("organization")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Registry(path, operator="测试员", create=True) as reg:
        fill_demo(reg, people=120, seed=11)
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Registry]:
    """A private copy of the demo database, made once per module (fill_demo costs more than the tests)."""
    path = tmp_path / "db" / "demo.db"
    path.parent.mkdir()
    shutil.copyfile(demo_file, path)
    reg = Registry(path, operator="测试员")
    yield reg
    reg.close()


def sheet_rows(path: Path) -> list[list[object]]:
    """The body rows below title, unit line and header, as openpyxl reads them."""
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [list(row) for row in wb.active.iter_rows(min_row=4, values_only=True)]
    finally:
        wb.close()


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def unquote(cell: str) -> str:
    """What a reader of the app's CSV does: strip exactly one leading apostrophe."""
    return cell[1:] if cell.startswith("'") else cell


def test_xlsx_holds_every_match_in_stroke_order(demo: Registry, tmp_path: Path) -> None:
    people = search_people(demo)
    n = export_roster(demo, tmp_path / "花名册.xlsx")
    rows = sheet_rows(tmp_path / "花名册.xlsx")
    assert n == len(rows) == len(people) > 100
    assert [r[1] for r in rows] == [p["name"] for p in people]
    assert [r[0] for r in rows] == list(range(1, n + 1))
    assert [r[1:] for r in rows] == list(roster_values(people))


def test_pinyin_order_on_request(demo: Registry, tmp_path: Path) -> None:
    export_roster(demo, tmp_path / "r.xlsx", order="pinyin")
    names = [r[1] for r in sheet_rows(tmp_path / "r.xlsx")]
    assert names == [p["name"] for p in search_people(demo, order="pinyin")]
    assert names != [p["name"] for p in search_people(demo)]


def test_layout_title_unit_date_and_count(demo: Registry, tmp_path: Path) -> None:
    set_setting(demo, "unit", "示例街道快递行业党委")
    n = export_roster(demo, tmp_path / "r.xlsx", on=date(2026, 3, 5))
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert ws["A1"].value == "示例街道快递行业党委党员和入党积极分子花名册"
    assert ws["A2"].value == f"填报单位（盖章）：示例街道快递行业党委　　　　填报日期：2026年3月5日　　　　共 {n} 人"
    assert [c.value for c in ws[3]] == roster_labels() and roster_labels()[:5] == ["序号", "姓名", "性别", "民族",
                                                                                   "公民身份号码"]
    assert "A1:X1" in {str(r) for r in ws.merged_cells.ranges}  # 序号 and 23 columns, 外出流向 among them
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$1:$3"
    assert ws.page_setup.orientation == "landscape" and ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    export_roster(demo, tmp_path / "s.xlsx", unit="城南快递物流联合党支部")
    assert openpyxl.load_workbook(tmp_path / "s.xlsx").active["A1"].value.startswith("城南快递物流联合党支部")


def test_unit_defaults_without_setting(reg: Registry, tmp_path: Path) -> None:
    assert export_roster(reg, tmp_path / "r.xlsx") == 0
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert ws["A1"].value == "快递行业党员和入党积极分子花名册" and ws["A2"].value.endswith("共 0 人")
    assert ws.max_row == 3


@pytest.mark.parametrize("case", ["category", "flowing", "outlet", "org_subtree"])
def test_filters(demo: Registry, tmp_path: Path, case: str) -> None:
    if case == "category":
        f = PeopleFilter(categories=["正式党员", "预备党员"])
    elif case == "flowing":
        f = PeopleFilter(flowing=True)
    elif case == "outlet":
        f = PeopleFilter(outlet=search_people(demo)[0]["outlet"])
    else:
        f = PeopleFilter(org_ids=subtree_ids(demo, require_org(demo, "城南快递物流联合党支部")["id"]))
    expected = search_people(demo, f)
    assert 0 < len(expected) < len(search_people(demo))
    assert export_roster(demo, tmp_path / "r.xlsx", f) == len(expected)
    rows = sheet_rows(tmp_path / "r.xlsx")
    assert [r[1:] for r in rows] == list(roster_values(expected))
    checks = {"category": lambda r: r[1 + ROSTER_KEYS.index("category")] in ("正式党员", "预备党员"),
              "flowing": lambda r: r[FLOWING_AT] == "是",
              "outlet": lambda r: r[1 + ROSTER_KEYS.index("outlet")] == f.outlet,
              "org_subtree": lambda r: r[ORG_AT] == "城南快递物流联合党支部"}
    assert all(checks[case](r) for r in rows)


def test_ids_and_phones_are_full_text(demo: Registry, tmp_path: Path) -> None:
    export_roster(demo, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    people = search_people(demo)
    ids = [ws.cell(4 + i, ID_AT + 1) for i in range(len(people))]
    assert [c.value for c in ids] == [p["id_number"] for p in people]
    assert {c.data_type for c in ids} == {"s"} and {c.number_format for c in ids} == {"@"}
    phones = [ws.cell(4 + i, PHONE_AT + 1) for i in range(len(people))]
    assert {c.data_type for c in phones if c.value} == {"s"}
    assert [c.value for c in phones] == [p["phone"] for p in people]
    assert {r[FLOWING_AT] for r in sheet_rows(tmp_path / "r.xlsx")} == {"是", "否"}


def test_ids_masked_on_request(demo: Registry, tmp_path: Path) -> None:
    people = search_people(demo)
    export_roster(demo, tmp_path / "r.xlsx", show_id=False)
    export_roster(demo, tmp_path / "r.csv", show_id=False)
    masked = [mask_id(p["id_number"]) for p in people]
    assert [r[ID_AT] for r in sheet_rows(tmp_path / "r.xlsx")] == masked
    assert [r[ID_AT] for r in csv_rows(tmp_path / "r.csv")[1:]] == masked
    assert masked[0][6:14] == "********"


def test_csv_has_bom_header_and_identical_values(demo: Registry, tmp_path: Path) -> None:
    n = export_roster(demo, tmp_path / "r.csv")
    assert (tmp_path / "r.csv").read_bytes().startswith(codecs.BOM_UTF8)
    rows = csv_rows(tmp_path / "r.csv")
    assert rows[0] == roster_labels() and len(rows) == n + 1
    expected = [[str(i), *("" if v is None else v for v in values)]
                for i, values in enumerate(roster_values(search_people(demo)), 1)]
    assert [[unquote(c) for c in r] for r in rows[1:]] == expected


def test_formula_like_values_are_text_in_both_formats(demo: Registry, tmp_path: Path) -> None:
    person = search_people(demo)[0]
    edit_person(demo, person["id_number"], notes="=1+1", job="-夜班", address="@小区3栋",
                home_contact="'引号开头", certificate_no="+123")
    export_roster(demo, tmp_path / "r.xlsx")
    export_roster(demo, tmp_path / "r.csv")
    at = {k: 1 + ROSTER_KEYS.index(k) for k in ("notes", "job", "address")}
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    cells = {k: ws.cell(4, j + 1) for k, j in at.items()}
    assert {k: c.value for k, c in cells.items()} == {"notes": "=1+1", "job": "-夜班", "address": "@小区3栋"}
    assert {c.data_type for c in cells.values()} == {"s"}
    first = csv_rows(tmp_path / "r.csv")[1]
    assert [first[j] for j in at.values()] == ["'=1+1", "'-夜班", "'@小区3栋"]
    assert [unquote(first[j]) for j in at.values()] == ["=1+1", "-夜班", "@小区3栋"]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for r in csv_rows(tmp_path / "r.csv") for c in r)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_roster_reimports_into_an_empty_database(demo: Registry, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"花名册{suffix}"
    n = export_roster(demo, out)
    fresh = Registry(tmp_path / "fresh.db", operator="测试员", create=True)
    try:
        result = import_files(fresh, [out])
        assert (result.added, result.rejected) == (n, 0)
        assert list(roster_values(search_people(fresh))) == list(roster_values(search_people(demo)))
    finally:
        fresh.close()


def test_export_is_recorded_in_the_audit_log(demo: Registry, tmp_path: Path) -> None:
    f = PeopleFilter(categories=["正式党员"])
    n = export_roster(demo, tmp_path / "r.xlsx", f, show_id=False)
    rows = history(demo, entity="exports")
    assert len(rows) == 1
    row = rows[0]
    assert (row["op"], row["label"], row["action"]) == ("insert", "r.xlsx", "export.roster")
    assert row["summary"] == f"导出花名册 r.xlsx（{n}人）" and row["operator"] == "测试员"
    detail = json.loads(row["new"])
    assert detail["rows"] == n and detail["show_id"] is False and detail["format"] == "xlsx"
    assert detail["filter"]["categories"] == ["正式党员"] and detail["file"].endswith("r.xlsx")


def test_wrong_suffix_is_refused(demo: Registry, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"\.xlsx或\.csv"):
        export_roster(demo, tmp_path / "r.pdf")
    assert [p.name for p in tmp_path.iterdir()] == ["db"] and history(demo, entity="exports") == []


def test_missing_folder_is_a_user_error(demo: Registry, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="文件夹存在"):
        export_roster(demo, tmp_path / "没有这个文件夹" / "r.xlsx")
    assert history(demo, entity="exports") == []


def test_failed_export_leaves_no_file_and_no_record(demo: Registry, tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    target.mkdir()  # something that cannot be replaced, as a file open in Excel on Windows cannot
    with pytest.raises(UserError, match="Excel"):  # Linux: cannot write there; Windows: close it in Excel
        export_roster(demo, target)
    assert [p.name for p in tmp_path.iterdir() if p.name != "db"] == ["r.xlsx"]
    assert target.is_dir() and history(demo, entity="exports") == []


def test_existing_file_is_replaced(demo: Registry, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"old")
    export_roster(demo, out, PeopleFilter(flowing=True))
    assert len(sheet_rows(out)) == len(search_people(demo, PeopleFilter(flowing=True)))


@pytest.mark.parametrize(("error", "said"), [
    (OSError(28, "No space left on device"), "磁盘空间已满"),
    (OSError(30, "Read-only file system"), "只读"),
    (PermissionError(13, "Permission denied"), "没有在"),
])
def test_a_failed_write_names_its_cause(demo: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        error: OSError, said: str) -> None:
    import registry.exports as exports

    def fail(*_a: object) -> None:
        raise error

    monkeypatch.setattr(exports.os, "replace", fail)
    with pytest.raises(UserError, match=said):
        export_roster(demo, tmp_path / "r.xlsx")
    assert not (tmp_path / "r.xlsx").exists() and history(demo, entity="exports") == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("~$")]


def test_a_file_held_open_on_windows_is_a_sentence_about_excel(tmp_path: Path) -> None:
    from registry.exports import write_failure

    out = tmp_path / "花名册.xlsx"
    out.write_bytes(b"open in Excel")
    held = PermissionError(13, "拒绝访问")
    held.winerror = 32  # type: ignore[attr-defined]  # ERROR_SHARING_VIOLATION, as Windows reports it
    assert "请先在 Excel/WPS 中关闭该文件" in write_failure(held, out)
