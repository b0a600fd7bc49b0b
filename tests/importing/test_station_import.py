"""Importing a station list: the census readers, a preview with problems, one audited apply, re-import, undo."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from registry.errors import UserError
from registry.importing.stations import import_stations, preview_station_import, undo_station_import
from registry.services import stations
from registry.storage.database import Registry
from tests.importing.station_files import HEADER, ROWS, write_station_list


def _counts(reg: Registry) -> tuple[int, int, int]:
    one = reg.conn.execute
    return (one("SELECT count(*) FROM care_stations").fetchone()[0], one("SELECT count(*) FROM care_types").fetchone()[0],
            one("SELECT count(*) FROM audit_log").fetchone()[0])


def test_the_preview_lists_the_problems_and_changes_nothing(reg: Registry, tmp_path: Path) -> None:
    path = write_station_list(tmp_path / "驿站名单.xlsx")
    before = _counts(reg)
    preview = preview_station_import(reg, path)
    assert _counts(reg) == before
    assert [(line.row, line.action) for line in preview.lines] == [
        (4, "add"), (5, "add"), (6, "rejected"), (7, "rejected"), (8, "add")]  # title, 填报单位, 合计, 填表人 skipped
    assert preview.new_types == ["骑手之家"] and preview.new_services == ["共享雨伞"]
    problems = {(p.row, p.level): p.message for p in preview.problems}
    assert "12345" in problems[6, "warning"] or any("12345" in p.message for p in preview.problems)
    assert "不在类型列表中" in problems[6, "error"]
    assert "与第4行重复" in problems[7, "error"]
    assert "不分一类" in problems[8, "warning"]
    first = preview.lines[0].values
    assert first["services"] == "饮水、充电、休息、党员报到处" and first["phone"] == "13800138000"
    assert first["contact"] == "王站长" and first["community"] == "白石洲社区"
    second = preview.lines[1].values
    assert second["class"] == "三类" and second["services"] == "饮水、微波炉、应急药品、休息"
    assert preview.lines[4].values["name"] == "南桥爱心驿站"  # full-width padding gone
    assert "新增3个驿站" in preview.summary()


def test_apply_in_one_operation_then_reimport_updates(reg: Registry, tmp_path: Path) -> None:
    path = write_station_list(tmp_path / "驿站名单.xlsx")
    done = import_stations(reg, path, add_types=True, add_services=True)
    assert done.operation_id is not None and done.count("add") == 4
    ops = {r[0] for r in reg.conn.execute("SELECT DISTINCT operation_id FROM audit_log")}
    assert ops == {done.operation_id}
    types = {t.name: t for t in stations.station_types(reg)}
    assert "骑手之家" in types and not types["骑手之家"].default
    rider = stations.list_stations(reg, type="骑手之家")[0]
    assert rider["services"] == ["饮水", "共享雨伞"] and rider["phone"] is None  # the bad phone is left out
    # The street office sends the list again with new opening hours and one more station.
    rows = list(ROWS)
    rows[0] = (*ROWS[0][:9], "7:00-23:00", *ROWS[0][10:])
    rows.append((6, "新港红色之家", "红色之家", None, "新港路", "开发区街道", "新港社区", None, "饮水", None, None, None))
    again = write_station_list(tmp_path / "驿站名单（更新）.xlsx", tuple(rows))
    second = import_stations(reg, again, add_types=True, add_services=True)
    assert (second.count("add"), second.count("update"), second.count("unchanged")) == (1, 1, 3)
    [line] = [x for x in second.lines if x.action == "update"]
    assert line.changes == {"opening_hours": ("全天", "7:00-23:00")}
    assert stations.find_station(reg, "白石洲暖蜂驿站")["opening_hours"] == "7:00-23:00"
    nothing = import_stations(reg, again, add_types=True, add_services=True)
    assert nothing.operation_id is None  # nothing changed: no operation at all


def test_undo_takes_the_import_back(reg: Registry, tmp_path: Path) -> None:
    before = _counts(reg)[:2]
    first = import_stations(reg, write_station_list(tmp_path / "a.xlsx"), add_types=True)
    rows = list(ROWS)
    rows[1] = (*ROWS[1][:10], "刘芳芳", *ROWS[1][11:])
    second = import_stations(reg, write_station_list(tmp_path / "b.xlsx", tuple(rows)))
    assert second.count("update") == 1
    undo_station_import(reg)  # the latest: the contact goes back
    assert stations.find_station(reg, "武车江城蜂巢")["contact"] == "刘芳"
    with pytest.raises(UserError, match="已经撤销过"):
        undo_station_import(reg, second.operation_id)
    stations.set_visits(reg, "武车江城蜂巢", "2026-11", 12)
    with pytest.raises(UserError, match="没有撤销"):
        undo_station_import(reg, first.operation_id)
    reg.conn.execute("DELETE FROM care_visits")  # (test set-up only: take the blocking record away)
    reg.conn.commit()
    undo_station_import(reg, first.operation_id)
    assert _counts(reg)[:2] == before
    with pytest.raises(UserError, match="不是一次驿站名单导入"):
        undo_station_import(reg, 9999)


def test_a_gbk_csv_is_read_like_a_census(reg: Registry, tmp_path: Path) -> None:
    path = tmp_path / "驿站.csv"
    with path.open("w", encoding="gbk", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["名称", "地址", "街道", "社区", "类别", "类型", "服务内容"])
        writer.writerow(["徐家棚江城蜂巢", "徐东大街1号", "徐家棚街道", "武车社区", "二类", "江城蜂巢", "饮水，充电"])
    done = import_stations(reg, path)
    assert done.count("add") == 1
    assert stations.list_stations(reg)[0]["class_"] == "二类"


@pytest.mark.parametrize("kind", ["empty", "csv_renamed", "encrypted_xlsx", "truncated"])
def test_bad_files_get_one_sentence_and_change_nothing(reg: Registry, broken: Callable[[str], Path],
                                                       kind: str) -> None:
    before = _counts(reg)
    with pytest.raises(UserError) as caught:
        import_stations(reg, broken(kind))
    assert "\n" not in caught.value.message and caught.value.message.endswith("。")
    assert _counts(reg) == before


def test_a_sheet_without_a_station_header_is_refused(reg: Registry, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append([*list(HEADER[:1]), "姓名", "身份证号"])
    wb.save(tmp_path / "人员.xlsx")
    with pytest.raises(UserError, match="没有找到驿站名单"):
        preview_station_import(reg, tmp_path / "人员.xlsx")
