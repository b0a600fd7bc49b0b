"""Finding the header and the data rows in the sheets people actually send."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.fields import OUTLET_FIELDS, PERSON_FIELDS
from registry.importing.layout import detect_layout, field_for_header, iter_records
from registry.importing.readers import SheetData, read_file


def _sheet(rows: list[list[object]], first_row: int = 1, name: str = "表1") -> SheetData:
    return SheetData(name, rows, first_row)


def _keys(layout) -> list[str]:
    return list(layout.columns.values())


# ---------------------------------------------------------------- the public sample


def test_sample_people_sheet(sample_path):
    people, _outlets = read_file(sample_path)
    layout = detect_layout(people)
    assert layout.kind == "people"
    assert (layout.header_row, layout.header_rows) == (2, 1)
    assert layout.columns[1] == "name" and layout.labels[1] == "姓\u3000名"
    assert {"id_number", "category", "phone", "outlet", "brand", "joined_on", "home_organization",
            "reported_on", "volunteer_post", "gender"} <= set(_keys(layout))
    assert 0 not in layout.columns  # 序号 is ignored silently
    assert layout.unmapped == []
    records = list(iter_records(people, layout))
    assert len(records) == 40
    assert (records[0].row, records[-1].row) == (3, 42)
    assert records[0].values["name"] == "马峰秀"
    assert records[0].cells[0] == 1.0


def test_sample_outlet_sheet(sample_path):
    _people, outlets = read_file(sample_path)
    layout = detect_layout(outlets)
    assert layout.kind == "outlets"
    assert layout.header_row == 1
    assert _keys(layout) == ["name", "brand", "address", "street", "community", "workers"]
    records = list(iter_records(outlets, layout))
    assert len(records) == 10
    assert records[0].row == 2 and records[0].values["name"] == "阅马场网点"


# ---------------------------------------------------------------- a messy multi-sheet workbook


def test_two_row_header_with_merged_group_cell(messy_workbook):
    sheet = read_file(messy_workbook)[0]
    layout = detect_layout(sheet)
    assert layout.kind == "people"
    assert (layout.header_row, layout.header_rows) == (4, 2)
    assert layout.columns == {
        1: "name", 2: "gender", 3: "id_number", 4: "birth_date", 5: "category",
        6: "joined_on", 7: "full_on", 8: "home_organization", 9: "phone", 10: "outlet",
    }
    assert layout.labels[3] == "公民身份号码（18位）"
    assert layout.labels[6] == "入党时间"  # the sub-header, not the 党员信息 group label
    assert layout.unmapped == []


def test_records_skip_blank_total_signature_note_and_repeated_header_rows(messy_workbook):
    sheet = read_file(messy_workbook)[0]
    records = list(iter_records(sheet, detect_layout(sheet)))
    assert [r.row for r in records] == [5, 6, 8, 9, 10]
    assert records[1].values["name"] == "买买提·艾力"
    assert records[1].values["id_number"] == "65010219900115231x"
    assert records[2].values["full_on"] is None or records[2].values["full_on"] == ""
    assert records[4].values["phone"] == "021-57123456转8001"
    assert len(records[0].cells) == len(sheet.rows[0])
    # The merged 所在单位 cell applies to every row it covers, in values and in cells.
    assert sheet.rows[9 - 1][10] == ""
    assert [r.values["outlet"] for r in records[2:]] == ["顺丰速运南桥营业部"] * 3
    assert records[3].cells[10] == "顺丰速运南桥营业部"


def test_second_company_sheet_with_column_offset(messy_workbook):
    sheet = read_file(messy_workbook)[1]
    layout = detect_layout(sheet)
    assert layout.kind == "people"
    assert layout.header_row == 3
    # Indexes are into SheetData.rows, which begin at column B here.
    assert layout.columns == {1: "name", 2: "id_number", 3: "category", 4: "phone", 5: "outlet", 6: "brand"}
    records = list(iter_records(sheet, layout))
    assert [(r.row, r.values["name"]) for r in records] == [(4, "陈晓东"), (5, "刘洋")]


def test_sheet_without_roster_says_why(messy_workbook):
    sheet = read_file(messy_workbook)[2]
    layout = detect_layout(sheet)
    assert layout.kind is None
    assert layout.header_row == 0 and layout.columns == {}
    assert "填表说明" in layout.reason and layout.reason.endswith("。")
    assert list(iter_records(sheet, layout)) == []


def test_empty_sheet_says_so():
    layout = detect_layout(SheetData("Sheet3", [], 1))
    assert layout.kind is None
    assert "是空的" in layout.reason


def test_old_xls_and_csv_layouts(old_xls, write_csv):
    (xls,) = read_file(old_xls)
    layout = detect_layout(xls)
    assert layout.kind == "people" and layout.header_row == 2
    assert [r.row for r in iter_records(xls, layout)] == [3]

    (csv_sheet,) = read_file(write_csv("gbk.csv", encoding="gbk"))
    layout = detect_layout(csv_sheet)
    assert _keys(layout) == ["name", "id_number", "phone", "category"]
    records = list(iter_records(csv_sheet, layout))
    assert [r.row for r in records] == [3, 4, 6]
    assert records[0].values["phone"] == "013816695432"


# ---------------------------------------------------------------- header matching


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("姓\u3000名", "name"),
        (" 姓 名 ", "name"),
        ("*姓名", "name"),
        ("姓名：", "name"),
        ("员工姓名", "name"),
        ("公民身份号码", "id_number"),
        ("公民身份号码(18位)", "id_number"),
        ("身份证号码\n（18位）", "id_number"),
        ("身份证号18位", "id_number"),
        ("手机号码", "phone"),
        ("联系电话（手机）", "phone"),
        ("本人手机号码", "phone"),
        ("联系方式", "phone"),
        ("政治面貌", "category"),
        ("所在单位", "outlet"),
        ("出生年月", "birth_date"),
        ("入党日期", "joined_on"),
        ("入党时间(年月)", "joined_on"),
        ("组织关系所在党组织名称", "home_organization"),
        ("是否流动党员（是/否）", "flowing"),
    ],
)
def test_person_header_synonyms(header, key):
    layout = detect_layout(_sheet([["序号", header, "姓名" if key != "name" else "性别", "政治面貌"]]))
    if key == "name":
        assert layout.columns[1] == "name"
    else:
        assert layout.columns[1] == key, layout


@pytest.mark.parametrize(
    "header", ["负责人姓名", "流动党员证编号", "流动党员信息", "党组织书记", "填报单位", "序号说明文字很长"]
)
def test_look_alike_headers_are_not_matched(header):
    layout = detect_layout(_sheet([["姓名", "身份证号", header]]))
    assert layout.kind == "people"
    assert 2 not in layout.columns
    assert layout.unmapped == [header]


def test_each_field_maps_to_one_column_and_exact_beats_containment():
    layout = detect_layout(_sheet([["本人手机号码", "姓名", "身份证号", "联系电话", "手机号"]]))
    assert layout.columns[3] == "phone"  # the exact synonym wins over the affixed one on its left
    assert 0 not in layout.columns and 4 not in layout.columns
    assert layout.unmapped == ["本人手机号码", "手机号"]


def test_inverse_two_row_header_where_the_sub_header_row_scores_higher():
    rows = [
        ["花名册"],
        ["序号", "姓名", "基本信息", "", "", "党员信息", "", ""],
        ["", "", "性别", "身份证号", "手机号", "入党时间", "转正时间", "所在党支部"],
        [1, "张三", "男", "310120198703154512", "13800000000", "2010.07", "2011.07", "一支部"],
    ]
    layout = detect_layout(_sheet(rows))
    assert (layout.header_row, layout.header_rows) == (3, 2)
    assert _keys(layout) == ["name", "gender", "id_number", "phone", "joined_on", "full_on", "organization"]
    assert [r.row for r in iter_records(_sheet(rows), layout)] == [4]


def test_group_label_row_above_a_full_header_stays_one_row():
    rows = [
        ["基本信息", "", "", "党员信息", ""],
        ["姓名", "性别", "身份证号", "入党时间", "转正时间"],
        ["张三", "男", "310120198703154512", "2010.07", "2011.07"],
    ]
    layout = detect_layout(_sheet(rows))
    assert (layout.header_row, layout.header_rows) == (2, 1)
    assert len(layout.columns) == 5


def test_first_data_row_is_not_taken_for_a_sub_header():
    rows = [["姓名", "身份证号", "所在网点"], ["张三", "310120198703154512", "网点"]]
    layout = detect_layout(_sheet(rows))
    assert (layout.header_row, layout.header_rows) == (1, 1)


def test_outlet_list_needs_no_identity_column():
    outlets = [["网点名称", "快递品牌", "地址", "党建指导员"], ["沙河网点", "极兔速递", "南桥镇1号", "王五"]]
    assert detect_layout(_sheet(outlets)).kind == "outlets"
    with_ids = [["网点名称", "快递品牌", "身份证号"], ["沙河网点", "极兔速递", "310120198703154512"]]
    assert detect_layout(_sheet(with_ids)).kind is None


def test_outlet_counts_do_not_match_by_containment():
    layout = detect_layout(_sheet([["网点名称", "快递品牌", "党员人数"], ["沙河网点", "极兔速递", 3]]))
    assert layout.kind == "outlets"
    assert layout.columns == {0: "name", 1: "brand"}
    assert layout.unmapped == ["党员人数"]


def test_people_sheet_without_ids_is_never_taken_for_an_outlet_list():
    layout = detect_layout(_sheet([["姓名", "网点名称", "快递品牌"], ["张三", "沙河网点", "极兔速递"]]))
    assert layout.kind is None
    assert "姓名" in layout.reason


def test_name_alone_is_not_a_roster():
    layout = detect_layout(_sheet([["姓名", "工作岗位"], ["张三", "快递员"]]))
    assert layout.kind is None
    assert "姓名" in layout.reason and "公民身份号码" in layout.reason


def test_overrides_map_and_ignore_columns():
    rows = [["称呼", "证件号", "联系号码", "微信号"], ["张三", "310120198703154512", "13800000000", "zs"]]
    plain = detect_layout(_sheet(rows))
    assert plain.kind is None
    fixed = detect_layout(_sheet(rows), overrides={"称 呼": "name", "证件号": "id_number", "联系号码": ""})
    assert fixed.kind == "people"
    assert fixed.columns == {0: "name", 1: "id_number"}
    assert fixed.unmapped == ["微信号"]


@pytest.mark.parametrize(("fields", "kind"), [(PERSON_FIELDS, "people"), (OUTLET_FIELDS, "outlets")])
def test_every_label_and_synonym_is_recognised(fields, kind):
    for f in fields:
        for synonym in (f.label, *f.synonyms):
            owners = {g.key for g in fields if synonym in (g.label, *g.synonyms)}
            assert field_for_header(synonym, kind) in owners, synonym


def test_field_for_header_honours_overrides():
    assert field_for_header("小哥名字") == "name"  # 名字 with a harmless prefix
    assert field_for_header("称呼") is None
    assert field_for_header("称　呼", overrides={"称呼": "name"}) == "name"
    assert field_for_header("备注", overrides={"备注": ""}) == ""
    assert field_for_header("网点名称", "outlets") == "name"
    assert field_for_header("网点名称", "people") == "outlet"


# ---------------------------------------------------------------- records


def test_marker_rows_are_skipped_wherever_the_text_starts():
    rows = [
        ["序号", "姓名", "身份证号", "备注"],
        [1, "张三", "310120198703154512", ""],
        ["", "  小 计", "1人", ""],
        ["", "", "", "备注：以上人员均已报到"],
        ["说明：身份证号须18位"],
        ["制表：李四", "", "审核人：王五"],
        ["负责人签字："],
        ["总计", 1],
        [2, "小明", "310120198703154513", "新入职"],
    ]
    records = list(iter_records(_sheet(rows), detect_layout(_sheet(rows))))
    assert [r.row for r in records] == [2, 9]
    assert records[1].values["notes"] == "新入职"


def test_rows_with_only_a_number_or_unmapped_cells_are_skipped():
    rows = [["序号", "姓名", "身份证号", "微信号"], [1, "张三", "310120198703154512", ""], [2, "", "", ""],
            [3, None, "  ", "wx"], [4, "李四", None, None]]
    records = list(iter_records(_sheet(rows), detect_layout(_sheet(rows))))
    assert [r.row for r in records] == [2, 5]
    assert records[1].values == {"name": "李四", "id_number": None}


def test_vertical_merges_fill_down_but_merged_section_rows_stay_empty():
    rows = [
        ["序号", "姓名", "身份证号", "所在网点"],
        ["一、顺丰速运", "", "", ""],
        [1, "张三", "310120198703154512", "沙河网点"],
        [2, "李四", "310120198703154513", ""],
        ["", "", "", ""],
        [3, "王五", "310120198703154514", ""],
    ]
    merged = [(2, 1, 2, 4), (3, 4, 5, 4), (1, 2, 6, 2)]  # section row A2:D2, outlet D3:D5, and a bogus B1:B6
    sheet = SheetData("表1", rows, 1, merged=merged)
    records = list(iter_records(sheet, detect_layout(sheet)))
    assert [(r.row, r.values["outlet"]) for r in records] == [(3, "沙河网点"), (4, "沙河网点"), (6, "")]
    assert rows[3][3] == ""  # the sheet itself is left as read


def test_short_rows_give_none_for_missing_cells():
    rows = [["姓名", "身份证号", "手机号"], ["张三"]]
    (record,) = iter_records(_sheet(rows), detect_layout(_sheet(rows)))
    assert record.values == {"name": "张三", "id_number": None, "phone": None}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.just(""), st.just(" "), st.text(max_size=3),
                                   st.floats(allow_nan=False)), min_size=0, max_size=5), max_size=15))
def test_records_never_blank_and_rows_increase(body):
    rows = [["序号", "姓名", "身份证号", "手机号", "备注"], *body]
    sheet = _sheet(rows, first_row=7)
    layout = detect_layout(sheet)
    numbers = [r.row for r in iter_records(sheet, layout)]
    assert numbers == sorted(set(numbers))
    assert all(8 <= n < 8 + len(body) for n in numbers)


def test_iter_records_is_fast_on_a_large_sheet():
    header = ["序号", "姓名", "身份证号", "性别", "民族", "出生年月", "学历", "政治面貌", "所在党支部", "入党时间",
              "岗位", "手机号码", "家庭住址", "所在网点", "备注"]
    body = [[float(i), f"张{i}", f"31012019870315{i % 10000:04d}", "男", "汉族", "1987.03", "高中", "中共党员",
             "一支部", "2010.07", "快递员", 13800000000.0 + i, "南桥镇", "沙河网点", ""] for i in range(100_000)]
    sheet = _sheet([["标题"], header, *body])
    started = time.perf_counter()
    layout = detect_layout(sheet)
    count = sum(1 for _ in iter_records(sheet, layout))
    elapsed = time.perf_counter() - started
    assert count == 100_000
    assert elapsed < 2.0, f"{elapsed:.2f}s for 100,000 rows"
