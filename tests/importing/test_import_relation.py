"""Census imports and dated membership: 流出 from the official items, 待核实 for the unplaced, the import's date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from registry.cli.main import main
from registry.errors import UserError
from registry.importing.batches import undo_batch
from registry.importing.service import import_files
from registry.services.organizations import add_org
from registry.services.outlets import add_outlet
from registry.services.people import add_person, get_person
from registry.storage.database import Registry

OUT_ID, IN_ID, UNKNOWN_ID, LOCAL_ID, MASS_ID = (
    "510104198503154210", "420106199207080064", "440305200001012617", "11010519491231002X", "650102199001010017")


def csv(path: Path, header: list[str], *rows: list[str], encoding: str = "gbk") -> Path:
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding=encoding)
    return path


def official(path: Path) -> Path:
    """The official items as a GBK CSV saved by Excel: 是否流动党员 and 外出流向, 组织关系所在党组织."""
    return csv(path, ["姓名", "公民身份号码", "人员类别", "入党时间", "是否流动党员", "外出流向", "组织关系所在党组织"],
               ["张三", OUT_ID, "正式党员", "2010-07", "是", "广东省深圳市", ""],
               ["李四", IN_ID, "正式党员", "2015-07", "是", "", "四川省南充市顺庆区新建村党支部"],
               ["王五", UNKNOWN_ID, "正式党员", "2018-07", "", "", ""],
               ["赵六", LOCAL_ID, "正式党员", "1980-07", "否", "", "城南快递联合党支部"])


def test_official_items_import_both_directions(reg: Registry, tmp_path: Path) -> None:
    result = import_files(reg, [official(tmp_path / "census.csv")])
    assert result.added == 4
    out = get_person(reg, OUT_ID)
    # Held here, working in Shenzhen: 流出 with its destination, not 流入 with a home organisation "深圳市".
    assert (out["relation"], out["flowing"], out["flow_destination"], out["home_organization"]) == (
        "流出", 0, "广东省深圳市", None)
    inflow = get_person(reg, IN_ID)
    assert (inflow["relation"], inflow["flowing"], inflow["home_organization"]) == (
        "流入", 1, "四川省南充市顺庆区新建村党支部")
    local = get_person(reg, LOCAL_ID)
    assert (local["relation"], local["flowing"], local["organization"]) == ("在册", 0, "城南快递联合党支部")
    # flowing and relation agree in every row the importer wrote.
    assert reg.scalar("SELECT count(*) FROM people WHERE flowing <> (relation = '流入')") == 0


def test_unplaced_member_is_unverified_with_one_warning_each(reg: Registry, tmp_path: Path) -> None:
    result = import_files(reg, [official(tmp_path / "census.csv")])
    unknown = get_person(reg, UNKNOWN_ID)
    assert (unknown["relation"], unknown["flowing"]) == ("待核实", 0)
    assert result.unverified == 1 and result.as_dict()["unverified"] == 1
    warnings = [p for p in result.problems if p["code"] == "relation_unverified"]
    assert [(w["name"], w["level"]) for w in warnings] == [("王五", "warning")]
    assert "核实组织关系" in warnings[0]["message"]
    again = import_files(reg, [official(tmp_path / "census.csv")])  # nothing new to say: no warning, no change
    assert (again.updated, again.unverified) == (0, 0)
    assert get_person(reg, UNKNOWN_ID)["relation"] == "待核实"


def test_a_non_member_is_not_unverified_nor_flowing(reg: Registry, tmp_path: Path) -> None:
    path = csv(tmp_path / "workers.csv", ["姓名", "身份证号", "政治面貌", "是否流动党员", "外出流向"],
               ["王五", UNKNOWN_ID, "群众", "", ""], ["钱七", IN_ID, "入党积极分子", "是", "广东省深圳市"])
    result = import_files(reg, [path])
    assert result.unverified == 0 and get_person(reg, UNKNOWN_ID)["relation"] == "在册"
    assert (get_person(reg, IN_ID)["relation"], get_person(reg, IN_ID)["flowing"]) == ("在册", 0)


def test_census_without_information_keeps_an_existing_relation(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="张三", id_number=OUT_ID, category="正式党员", joined_on="2010-07", relation="流入",
               home_organization="四川省南充市某村党支部", managed_from="2026-01-05")
    add_person(reg, name="李四", id_number=IN_ID, category="正式党员", joined_on="2015-07", managed_from="2026-01-05")
    # Only where they take part here: a flowing-in member takes part in a local branch too.
    path = csv(tmp_path / "c.csv", ["姓名", "身份证号", "政治面貌", "所在党支部"],
               ["张三", OUT_ID, "中共党员", "城南快递联合党支部"], ["李四", IN_ID, "中共党员", ""])
    result = import_files(reg, [path])
    assert result.unverified == 0
    assert (get_person(reg, OUT_ID)["relation"], get_person(reg, IN_ID)["relation"]) == ("流入", "在册")


def test_back_from_elsewhere_clears_the_destination(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="张三", id_number=OUT_ID, category="正式党员", joined_on="2010-07", relation="流出",
               flow_destination="广东省深圳市", managed_from="2026-01-05")
    path = csv(tmp_path / "c.csv", ["姓名", "身份证号", "是否流动党员"], ["张三", OUT_ID, "否"])
    import_files(reg, [path], managed_from="2026-11-03")
    person = get_person(reg, OUT_ID)
    assert (person["relation"], person["flow_destination"], person["state_from"]) == ("在册", None, "2026-11-03")


def test_outward_flowing_sheet_and_category(reg: Registry, tmp_path: Path) -> None:
    path = csv(tmp_path / "外出流动党员名单.csv", ["姓名", "身份证号", "人员类别", "外出地点"],
               ["张三", OUT_ID, "外出流动党员", "浙江省杭州市"])
    import_files(reg, [path])
    assert (get_person(reg, OUT_ID)["relation"], get_person(reg, OUT_ID)["flow_destination"]) == ("流出", "浙江省杭州市")


def test_destination_with_no_is_not_imported(reg: Registry, tmp_path: Path) -> None:
    path = csv(tmp_path / "c.csv", ["姓名", "身份证号", "人员类别", "是否流动党员", "外出流向"],
               ["张三", OUT_ID, "正式党员", "否", "广东省深圳市"])
    result = import_files(reg, [path])
    assert get_person(reg, OUT_ID)["relation"] == "在册" and get_person(reg, OUT_ID)["flow_destination"] is None
    assert "destination_not_flowing" in {p["code"] for p in result.problems}


def test_new_people_are_census_finds_of_the_import_date(reg: Registry, tmp_path: Path) -> None:
    import_files(reg, [official(tmp_path / "census.csv")])
    assert {(r["managed_from"], r["managed_how"]) for r in reg.query("SELECT managed_from, managed_how FROM people")} == {
        (dt.date.today().isoformat(), "摸排新纳入")}


def test_managed_from_on_the_command_line(reg: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = reg.path
    reg.close()
    path = official(tmp_path / "census.csv")
    assert main(["--db", str(db), "import", str(path), "--managed-from", "2026-11"]) == 2
    err = capsys.readouterr().err
    assert "没有写到日" in err and "Traceback" not in err
    assert main(["--db", str(db), "import", str(path), "--managed-from", "2026.11.3"]) == 0
    out = capsys.readouterr().out
    assert "1名党员" in out and "待核实" in out
    again = Registry(db)
    try:
        assert {r[0] for r in again.conn.execute("SELECT managed_from FROM people")} == {"2026-11-03"}
    finally:
        again.close()


@pytest.mark.parametrize(("value", "words"), [
    ("2026-11", "没有写到日"), ((dt.date.today() + dt.timedelta(days=1)).isoformat(), "晚于今天"), ("2026-13-40", "纳入管理日期")])
def test_bad_managed_from_changes_nothing(reg: Registry, tmp_path: Path, value: str, words: str) -> None:
    with pytest.raises(UserError, match=words):
        import_files(reg, [official(tmp_path / "census.csv")], managed_from=value)
    assert reg.scalar("SELECT count(*) FROM people") == 0 and reg.scalar("SELECT count(*) FROM import_batches") == 0


def _moving_census(path: Path) -> Path:
    return csv(path, ["姓名", "身份证号", "人员类别", "所在网点", "快递品牌", "是否流动党员", "外出流向", "联系电话"],
               ["张三", OUT_ID, "正式党员", "福田营业部", "京东物流", "是", "广东省深圳市", "13800138000"])


def _snapshot(reg: Registry) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    people = reg.conn.execute("SELECT * FROM people ORDER BY id").fetchall()
    states = reg.conn.execute("SELECT * FROM person_states ORDER BY id").fetchall()
    return people, states


def test_an_update_takes_effect_on_the_import_date(reg: Registry, tmp_path: Path) -> None:
    add_outlet(reg, name="沙河网点", brand="极兔速递")
    add_person(reg, name="张三", id_number=OUT_ID, category="正式党员", joined_on="2010-07", outlet="沙河网点",
               brand="极兔速递", managed_from="2026-01-05")
    before = get_person(reg, OUT_ID)
    result = import_files(reg, [_moving_census(tmp_path / "c.csv")], managed_from="2026-11-03")
    assert result.updated == 1
    after = get_person(reg, OUT_ID)
    assert (after["relation"], after["outlet"], after["state_from"]) == ("流出", "福田营业部", "2026-11-03")
    [span] = reg.query("SELECT valid_from, valid_to, outlet_id, relation FROM person_states WHERE person_id = ?",
                       (after["id"],))
    assert span == {"valid_from": "2026-01-05", "valid_to": "2026-11-03", "outlet_id": before["outlet_id"],
                    "relation": "在册"}
    assert after["managed_from"] == "2026-01-05"  # she was here already: only new people get the census date


def test_undo_of_an_updating_import_restores_people_and_spans_exactly(reg: Registry, tmp_path: Path) -> None:
    add_outlet(reg, name="沙河网点", brand="极兔速递")
    add_person(reg, name="张三", id_number=OUT_ID, category="正式党员", joined_on="2010-07", outlet="沙河网点",
               brand="极兔速递", managed_from="2026-01-05")
    first = import_files(reg, [csv(tmp_path / "a.csv", ["姓名", "身份证号", "所在网点", "快递品牌"],
                                   ["张三", OUT_ID, "春熙路网点", "中通快递"])], managed_from="2026-06-01")
    assert first.updated == 1 and reg.scalar("SELECT count(*) FROM person_states") == 1
    before = _snapshot(reg)
    result = import_files(reg, [_moving_census(tmp_path / "c.csv")], managed_from="2026-11-03")
    assert result.updated == 1 and reg.scalar("SELECT count(*) FROM person_states") == 2
    assert result.batch is not None
    undo_batch(reg, result.batch)
    people, states = _snapshot(reg)
    updated_at = [d[0] for d in reg.conn.execute("SELECT * FROM people").description].index("updated_at")
    strip = lambda rows: [r[:updated_at] + r[updated_at + 1:] for r in rows]  # noqa: E731  (the undo's own time)
    assert strip(people) == strip(before[0]) and states == before[1]


def test_destination_with_a_hometown_relationship_is_unverified(reg: Registry, tmp_path: Path) -> None:
    path = csv(tmp_path / "c.csv", ["姓名", "身份证号", "人员类别", "是否流动党员", "外出流向", "组织关系所在党组织"],
               ["张三", OUT_ID, "正式党员", "是", "广东省深圳市", "四川省南充市某村党支部"])
    result = import_files(reg, [path])
    assert get_person(reg, OUT_ID)["relation"] == "待核实" and result.unverified == 1
    assert "relation_conflict" in {p["code"] for p in result.problems}


def test_a_bare_yes_keeps_a_member_working_elsewhere_and_local_yes_is_outward(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="张三", id_number=OUT_ID, category="正式党员", joined_on="2010-07", relation="流出",
               flow_destination="广东省深圳市", managed_from="2026-01-05")
    path = csv(tmp_path / "c.csv", ["姓名", "身份证号", "人员类别", "是否流动党员", "组织关系所在党组织"],
               ["张三", OUT_ID, "正式党员", "是", ""], ["李四", IN_ID, "正式党员", "是", ""],
               ["赵六", LOCAL_ID, "正式党员", "是", "城南快递联合党支部"])
    add_org(reg, name="城南快递联合党支部")
    result = import_files(reg, [path])
    assert result.unchanged == 1  # 是 alone says nothing against 流出
    assert get_person(reg, OUT_ID)["relation"] == "流出"
    assert get_person(reg, IN_ID)["relation"] == "流入"  # a new member: flowing, and not held here as far as we know
    local = get_person(reg, LOCAL_ID)  # flowing and held by one of ours: she works elsewhere
    assert (local["relation"], local["organization"], local["home_organization"]) == ("流出", "城南快递联合党支部", None)


def test_yes_with_a_short_hometown_name_stays_inflow(reg: Registry, tmp_path: Path) -> None:
    path = csv(tmp_path / "c.csv", ["姓名", "身份证号", "人员类别", "是否流动党员", "组织关系所在党组织"],
               ["李四", IN_ID, "正式党员", "是", "南充市顺庆区新建村党支部"])
    import_files(reg, [path])
    assert (get_person(reg, IN_ID)["relation"], get_person(reg, IN_ID)["home_organization"]) == (
        "流入", "南充市顺庆区新建村党支部")
