"""The census import end to end: preview, apply, re-import, merge rules, strict, undo, problem list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from registry.errors import UserError
from registry.importing.batches import export_problems, list_batches, undo_batch
from registry.importing.service import import_files
from registry.rules.idnumber import mask_id
from registry.services.people import add_person, edit_person, get_person
from registry.services.search import search_people
from registry.storage.database import Registry

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "fengxian_baodao_sample.xlsx"

# (name, id, category, joined, home organisation, outlet, brand, phone)
COMPANY_A = [
    ("张　三", "510104198503154210", "中共党员", "2010.07", "四川省南充市顺庆区新建村党支部", "沙河网点", "极兔速递", "138 0013 8000"),
    (" 李四 ", "420106199207080064", "中共预备党员", dt.date(2026, 3, 1), "城南快递联合党支部", "沙河网点", "极兔速递",
     13900139000.0),
    ("王五", 4.20106199312097e17, "积极分子", None, None, "春熙路网点", "中通快递", "13700137000"),
    ("赵六", "110105491231002", "群众", None, None, "春熙路网点", "中通快递", "+86 136-0013-6000"),
    ("钱七", "440305200001012617", "入党申请人", None, None, "春熙路网点", "中通快递", None),
]
COMPANY_B = [
    ("赵六", "11010519491231002X", "群众", None, None, "福田营业部", "京东物流", "13600136000"),  # same person again
    ("阿依古丽·买买提", "650102199001010017", "党员", "2015年6月", "新疆维吾尔自治区乌鲁木齐市某社区党支部", "福田营业部",
     "京东", "13500135000"),
]


def census(path: Path) -> Path:
    """Two company sheets with the classic mess, and a sheet that is not a roster."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "极兔中通"
    ws.append(["示例区快递行业党员和入党积极分子摸排表"])
    ws.merge_cells("A1:I1")
    ws.append(["填报单位（盖章）：示例街道", None, None, None, "填报时间：2026年11月"])
    ws.append(["序号", "姓　名", "身份证号码", "政治面貌", "党员信息", None, "所在网点", "所属企业", "联系方式"])
    ws.append([None, None, None, None, "入党时间", "党组织关系所在地", None, None, None])
    ws.merge_cells("E3:F3")
    for i, (name, number, cat, joined, home, outlet, brand, phone) in enumerate(COMPANY_A, 1):
        ws.append([i, name, number, cat, joined, home, outlet, brand, phone])
        if i == 2:
            ws.append([])
    ws.append(["合计", "5人"])
    ws.append(["填表人：", None, None, "审核人："])
    ws2 = wb.create_sheet("京东")
    ws2.append(["姓名", "公民身份号码", "人员类别", "入党日期", "组织关系所在党组织", "网点名称", "快递品牌", "手机号码"])
    for name, number, cat, joined, home, outlet, brand, phone in COMPANY_B:
        ws2.append([name, number, cat, joined, home, outlet, brand, phone])
    ws3 = wb.create_sheet("说明")
    ws3.append(["本表请于每月5日前报送。"])
    wb.save(path)
    return path


def test_preview_then_apply(reg: Registry, tmp_path: Path) -> None:
    path = census(tmp_path / "census.xlsx")
    preview = import_files(reg, [path], dry_run=True)
    assert reg.scalar("SELECT count(*) FROM people") == 0 and preview.batch is None
    assert (preview.rows, preview.added, preview.rejected, preview.duplicates) == (7, 5, 1, 1)
    result = import_files(reg, [path])
    assert (result.added, result.updated, result.unchanged, result.rejected) == (5, 0, 0, 1)
    assert result.batch is not None
    assert [s["kind"] for s in result.sheets] == ["people", "people", None]
    mangled = [p for p in result.problems if p["code"] == "id_mangled"]
    assert [(p["sheet"], p["row"], p["column"], p["level"]) for p in mangled] == [("极兔中通", 8, "身份证号码", "error")]
    dup = [p for p in result.problems if p["code"] == "duplicate_in_file"]
    assert dup and dup[0]["level"] == "warning" and dup[0]["sheet"] == "京东"

    zhang = get_person(reg, "510104198503154210")
    assert (zhang["name"], zhang["category"], zhang["joined_on"], zhang["flowing"]) == ("张三", "正式党员", "2010-07", 1)
    assert zhang["home_organization"] == "四川省南充市顺庆区新建村党支部" and zhang["phone"] == "13800138000"
    li = get_person(reg, "420106199207080064")
    assert (li["name"], li["flowing"], li["organization"], li["phone"]) == ("李四", 0, "城南快递联合党支部", "13900139000")
    zhao = get_person(reg, "11010519491231002X")
    assert (zhao["outlet"], zhao["brand"], zhao["phone"]) == ("福田营业部", "京东物流", "13600136000")  # later sheet wins
    ayi = get_person(reg, "650102199001010017")
    assert (ayi["name"], ayi["brand"], ayi["flowing"], ayi["birth_date"]) == ("阿依古丽·买买提", "京东物流", 1, "1990-01-01")


def test_reimport_changes_nothing(reg: Registry, tmp_path: Path) -> None:
    path = census(tmp_path / "census.xlsx")
    import_files(reg, [path])
    again = import_files(reg, [path])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)


def test_blank_never_overwrites_and_conflicts_are_refused(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="钱七", id_number="440305200001012617", notes="原有备注", phone="13300133000")
    add_person(reg, name="孙八", id_number="510104198503154210")  # same ID as 张三 in the census
    result = import_files(reg, [census(tmp_path / "census.xlsx")])
    qian = get_person(reg, "440305200001012617")
    assert (qian["category"], qian["phone"], qian["notes"]) == ("入党申请人", "13300133000", "原有备注")
    conflict = [p for p in result.problems if p["code"] == "conflict_existing"]
    assert len(conflict) == 1 and conflict[0]["row"] == 5
    assert get_person(reg, "510104198503154210")["name"] == "孙八"
    assert result.updated == 1 and result.rejected == 2


def test_strict_applies_nothing(reg: Registry, tmp_path: Path) -> None:
    result = import_files(reg, [census(tmp_path / "census.xlsx")], strict=True)
    assert not result.applied and result.rejected == 1
    assert reg.scalar("SELECT count(*) FROM people") == 0
    assert reg.scalar("SELECT count(*) FROM outlets") == 0


def test_undo_whole_batch(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="钱七", id_number="440305200001012617")
    result = import_files(reg, [census(tmp_path / "census.xlsx")])
    counts = undo_batch(reg, result.batch)
    assert counts["deleted"] >= 4 and counts["restored"] >= 1
    assert reg.scalar("SELECT count(*) FROM people") == 1
    assert get_person(reg, "440305200001012617")["category"] == "群众"
    assert reg.scalar("SELECT count(*) FROM outlets") == 0
    assert list_batches(reg)[0]["status"] == "undone"
    with pytest.raises(UserError, match="撤销过"):
        undo_batch(reg, result.batch)


def test_undo_refuses_after_later_edits(reg: Registry, tmp_path: Path) -> None:
    result = import_files(reg, [census(tmp_path / "census.xlsx")])
    edit_person(reg, "510104198503154210", notes="后来补充的备注")
    before = reg.scalar("SELECT count(*) FROM people")
    with pytest.raises(UserError, match="修改"):
        undo_batch(reg, result.batch)
    assert reg.scalar("SELECT count(*) FROM people") == before
    assert get_person(reg, "510104198503154210")["notes"] == "后来补充的备注"


def test_problem_list_round_trip(reg: Registry, tmp_path: Path) -> None:
    result = import_files(reg, [census(tmp_path / "census.xlsx")])
    out = tmp_path / "problems.xlsx"
    assert export_problems(reg, result.batch, out) == 1
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header[1] == "姓　名" and "问题说明" in header
    row = [c.value for c in ws[2]]
    assert row[1] == "王五" and "Excel" in row[header.index("问题说明")]
    ws.cell(row=2, column=3).value = "420106199312097001"  # the grid worker re-enters the number as text
    ws.parent.save(out)
    fixed = import_files(reg, [out])
    assert (fixed.added, fixed.rejected) == (1, 0)
    assert get_person(reg, "420106199312097001")["category"] == "入党积极分子"


def test_public_sample(reg: Registry) -> None:
    if not SAMPLE.exists():
        pytest.skip("shared sample not present")
    result = import_files(reg, [SAMPLE])
    codes = {p["code"] for p in result.problems}
    assert {"id_mangled", "id_checksum"} <= codes
    assert result.rows == 40 and result.added + result.rejected == 40
    people = {p["name"]: p for p in search_people(reg)}
    assert people["马峰秀"]["flowing"] == 1 and people["尹亮勇"]["flowing"] == 0
    assert people["刘飞涛"]["outlet"] == "锦江配送站"
    assert reg.scalar("SELECT workers FROM outlets WHERE name = '东乐花园营业站'") == 114


def test_no_roster_anywhere(reg: Registry, tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["会议纪要"])
    wb.save(path)
    with pytest.raises(UserError, match="没有找到人员名单"):
        import_files(reg, [path])


def test_sheet_name_gives_brand_and_flowing(reg: Registry, tmp_path: Path) -> None:
    path = tmp_path / "flowing.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "顺丰速运"
    ws.append(["顺丰速运流动党员报到名单"])
    ws.append(["姓名", "身份证号", "政治面貌", "性别", "出生年月", "网点名称"])
    ws.append(["张三", "510104198503154210", "中共党员", "女", "1985.04", "东乐花园营业站"])
    ws.append(["王五", "440305200001012617", "群众", None, None, "东乐花园营业站"])
    wb.save(path)
    result = import_files(reg, [path])
    assert result.added == 2
    zhang = get_person(reg, "510104198503154210")
    assert (zhang["brand"], zhang["flowing"], zhang["gender"], zhang["birth_date"]) == ("顺丰速运", 1, "男", "1985-03-15")
    assert {p["code"] for p in result.problems} >= {"gender_mismatch", "birth_mismatch"}
    assert get_person(reg, "440305200001012617")["flowing"] == 0


def test_flowing_written_in_the_category_column(reg: Registry, tmp_path: Path) -> None:
    path = tmp_path / "types.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "党员类别", "入党时间"])
    ws.append(["张三", "510104198503154210", "流动党员", "2010-07"])
    ws.append(["李四", "420106199207080064", "在册党员", "2015-07"])
    wb.save(path)
    import_files(reg, [path])
    assert get_person(reg, "510104198503154210")["flowing"] == 1
    assert get_person(reg, "420106199207080064")["flowing"] == 0


def test_member_roster_without_a_category_column(reg: Registry, tmp_path: Path) -> None:
    path = tmp_path / "members.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某快递公司党员花名册"])
    ws.append(["姓名", "身份证号", "入党时间", "转正时间"])
    ws.append(["张三", "510104198503154210", "2010-07", "2011-07"])
    ws.append(["李四", "420106199207080064", None, None])
    wb.save(path)
    import_files(reg, [path])
    assert get_person(reg, "510104198503154210")["category"] == "正式党员"
    assert get_person(reg, "420106199207080064")["category"] == "正式党员"  # the sheet lists party members


def test_no_category_column_and_no_member_title(reg: Registry, tmp_path: Path) -> None:
    path = tmp_path / "workers.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "入党时间"])
    ws.append(["张三", "510104198503154210", "2010-07"])
    ws.append(["李四", "420106199207080064", None])
    wb.save(path)
    import_files(reg, [path])
    assert get_person(reg, "510104198503154210")["category"] == "正式党员"
    assert get_person(reg, "420106199207080064")["category"] == "群众"


def test_same_city_as_our_unit_is_local(reg: Registry, tmp_path: Path) -> None:
    from registry.services.history import set_setting

    set_setting(reg, "unit", "上海市奉贤区快递行业党委")
    path = tmp_path / "sh.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "政治面貌", "组织关系所在地"])
    ws.append(["张三", "510104198503154210", "中共党员", "上海市奉贤区南桥镇快递党支部"])
    ws.append(["李四", "420106199207080064", "中共党员", "上海市浦东新区某街道党工委"])
    wb.save(path)
    import_files(reg, [path])
    zhang = get_person(reg, "510104198503154210")
    assert zhang["flowing"] == 0 and zhang["organization"] == "上海市奉贤区南桥镇快递党支部"
    assert get_person(reg, "420106199207080064")["flowing"] == 1


def test_hometown_branch_in_the_branch_column(reg: Registry, tmp_path: Path) -> None:
    path = tmp_path / "branch.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "政治面貌", "所在党支部"])
    ws.append(["张三", "510104198503154210", "中共党员", "四川省南充市顺庆区新建村党支部"])
    ws.append(["李四", "420106199207080064", "中共党员", "城南快递联合党支部"])
    wb.save(path)
    import_files(reg, [path])
    zhang = get_person(reg, "510104198503154210")
    assert zhang["flowing"] == 1 and zhang["home_organization"] == "四川省南充市顺庆区新建村党支部"
    li = get_person(reg, "420106199207080064")
    assert li["flowing"] == 0 and li["organization"] == "城南快递联合党支部"


def test_undo_of_an_update_puts_the_old_outlet_and_fields_back(reg: Registry, tmp_path: Path) -> None:
    def sheet(path: Path, outlet: str, phone: str) -> Path:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["姓名", "身份证号", "人员类别", "所在网点", "快递品牌", "联系电话"])
        ws.append(["张三", "510104198503154210", "群众", outlet, "中通快递", phone])
        wb.save(path)
        return path

    import_files(reg, [sheet(tmp_path / "a.xlsx", "沙河网点", "13800138000")])
    before = get_person(reg, "510104198503154210")
    second = import_files(reg, [sheet(tmp_path / "b.xlsx", "春熙路网点", "13900139000")])
    assert second.updated == 1
    moved = get_person(reg, "510104198503154210")
    assert moved["outlet_id"] != before["outlet_id"] and moved["phone"] == "13900139000"
    logged = reg.query("SELECT field, old FROM audit_log WHERE op = 'update' AND entity = 'people'")
    assert {"field": "outlet_id", "old": str(before["outlet_id"])} in logged
    undo_batch(reg, second.batch)
    after = get_person(reg, "510104198503154210")
    assert (after["outlet_id"], after["phone"]) == (before["outlet_id"], "13800138000")


def test_undo_leaves_no_personal_values_of_the_removed_people_in_the_log(reg: Registry, tmp_path: Path) -> None:
    result = import_files(reg, [census(tmp_path / "census.xlsx")])
    added = reg.query("SELECT id, name, id_number, phone, birth_date FROM people")
    assert added
    undo_batch(reg, result.batch)
    log = " ".join(str(v) for row in reg.conn.execute("SELECT label, old, new FROM audit_log") for v in row)
    for p in added:
        assert p["id_number"] not in log
        assert not p["phone"] or p["phone"] not in log
        assert mask_id(p["id_number"]) in log and p["name"] in log  # what was deleted, still said
