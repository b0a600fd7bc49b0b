"""Commands of the care network: `station …` (驿站), `merchant …` (暖蜂商户), `care-street …` (暖蜂一条街)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from registry.cli.commands_core import open_registry
from registry.cli.output import print_json, print_table
from registry.display import cn_date
from registry.importing.stations import import_stations, preview_station_import, undo_station_import
from registry.reports.care_section import STREET_HEADER, street_rows
from registry.services import care_lists, stations
from registry.services.care_coverage import care_coverage
from registry.validation import user_date

# Station fields and their flags (--class is a Python keyword: the attribute is klass).
STATION_FLAGS: tuple[tuple[str, str, str], ...] = (
    ("type", "--type", "类型（如暖蜂驿站、江城蜂巢；见 station types）"),
    ("class", "--class", "类别：一类、二类或三类（只用于分类的类型，如江城蜂巢）"),
    ("address", "--address", "地址"), ("district", "--district", "区"), ("street", "--street", "街道"),
    ("community", "--community", "社区"), ("host_unit", "--host-unit", "承建单位（企业、网点、社区党群服务中心等）"),
    ("opening_hours", "--hours", "开放时间（如 8:00-22:00、24小时）"),
    ("services", "--services", "服务内容，用顿号或逗号分隔（如 饮水、充电、党员报到处；见 station services）"),
    ("contact", "--contact", "联系人"), ("phone", "--phone", "联系电话"), ("opened_on", "--opened", "启用日期"),
    ("closed_on", "--closed", "停用日期"), ("notes", "--notes", "备注"),
)


def _dest(key: str) -> str:
    return "klass" if key == "class" else key


def _station_fields(args: argparse.Namespace, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {key: getattr(args, _dest(key)) for key, _, _ in STATION_FLAGS
            if key not in skip and getattr(args, _dest(key), None) is not None}


def _station_text(row: stations.StationRow) -> list[tuple[str, str]]:
    return [("驿站名称", row["name"]), ("类型", row["type"] + (f"（{row['class_']}）" if row["class_"] else "")),
            ("地址", row["address"] or ""), ("区", row["district"] or ""), ("街道", row["street"] or ""),
            ("社区", row["community"] or ""), ("承建单位", row["host_unit"] or ""),
            ("开放时间", row["opening_hours"] or ""), ("服务内容", "、".join(row["services"])),
            ("联系人", row["contact"] or ""), ("联系电话", row["phone"] or ""),
            ("启用日期", cn_date(row["opened_on"]) if row["opened_on"] else ""),
            ("停用日期", cn_date(row["closed_on"]) if row["closed_on"] else ""), ("备注", row["notes"] or ""),
            ("累计服务人次", str(row["visits"])), ("在此报到的流动党员", f"{row['reported']}人")]


def cmd_station_add(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        stations.add_station(reg, name=args.name, **_station_fields(args))
        print(f"已添加驿站：{args.name}")
    return 0


def cmd_station_edit(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        changes = _station_fields(args, skip=("community",))
        if args.new_name:
            changes["name"] = args.new_name
        if args.new_community is not None:
            changes["community"] = args.new_community
        diff = stations.edit_station(reg, args.name, args.community, **changes)
        print(f"已修改{len(diff)}项。" if diff else "没有需要修改的内容。")
    return 0


def cmd_station_delete(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        station = stations.require_station(reg, args.name, args.community)
        done = stations.delete_station(reg, station["id"])
        print(done.sentence(station["name"]))
    return 0


def _row_of(reg: Any, name: str, community: str | None) -> stations.StationRow:
    station = stations.require_station(reg, name, community)
    return next(r for r in stations.list_stations(reg) if r["id"] == station["id"])


def cmd_station_show(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        row = _row_of(reg, args.name, args.community)
        visits = stations.list_visits(reg, row["id"])
    if args.json:
        print_json({**row, "visits_by_month": visits})
        return 0
    print_table(_station_text(row), ["项目", "内容"])
    if visits:
        print()
        print_table([(v["month"], v["count"]) for v in visits], ["月份", "服务人次"])
    return 0


def cmd_station_list(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        rows = stations.list_stations(reg, type=args.type, street=args.street, community=args.community,
                                      service=args.service)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("没有符合条件的驿站。")
        return 0
    print_table([(r["name"], r["type"] + (f"（{r['class_']}）" if r["class_"] else ""), r["street"], r["community"],
                  "、".join(r["services"]), r["phone"], r["visits"], r["reported"]) for r in rows],
                ["驿站", "类型", "街道", "社区", "服务内容", "联系电话", "累计服务人次", "报到党员"])
    print(f"共{len(rows)}个驿站。")
    return 0


def cmd_station_visits(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        if args.count is None:
            visits = stations.list_visits(reg, args.name, args.community)
            if args.json:
                print_json(visits)
            elif visits:
                print_table([(v["month"], v["count"]) for v in visits], ["月份", "服务人次"])
            else:
                print("这个驿站还没有登记服务人次。")
            return 0
        if not args.month:
            raise_missing("--month")
        changed = stations.set_visits(reg, args.name, args.month, args.count, args.community)
        print(f"已登记{args.name}{args.month}服务人次{args.count}。" if changed else "服务人次与已登记的相同，没有修改。")
    return 0


def raise_missing(flag: str) -> None:
    from registry.errors import UserError

    raise UserError(f"登记服务人次需要写明月份（{flag} 2026-11）。")


def cmd_station_types(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        command = getattr(args, "types_command", None)
        if command == "add":
            name = stations.add_station_type(reg, args.type_name, uses_class=args.uses_class)
            print(f"已添加驿站类型：{name}")
            return 0
        if command == "rename":
            moved = stations.rename_station_type(reg, args.type_name, args.new_name)
            print(f"已把驿站类型“{args.type_name}”改名为“{args.new_name}”，{moved}个驿站随之更改。")
            return 0
        if command == "delete":
            stations.delete_station_type(reg, args.type_name)
            print(f"已删除驿站类型：{args.type_name}")
            return 0
        types = stations.station_types(reg)
    if args.json:
        print_json([{"name": t.name, "uses_class": t.uses_class, "default": t.default} for t in types])
    else:
        print_table([(t.name, "分一类/二类/三类" if t.uses_class else "", "预置" if t.default else "自行添加")
                     for t in types], ["类型", "类别", "来源"])
    return 0


def cmd_station_services(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        if getattr(args, "services_command", None) == "add":
            name = stations.add_station_service(reg, args.service_name)
            print(f"已添加服务项目：{name}")
            return 0
        services = stations.station_services(reg)
    if args.json:
        print_json(services)
    else:
        print("、".join(services))
    return 0


def cmd_station_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    with open_registry(args) as reg:
        if args.dry_run:
            preview = preview_station_import(reg, path, add_types=args.add_types, add_services=args.add_services)
        else:
            preview = import_stations(reg, path, add_types=args.add_types, add_services=args.add_services)
    print(("预览（未导入）：" if args.dry_run else "已导入：") + preview.summary())
    for problem in preview.problems:
        print(("错误　" if problem.level == "error" else "提示　") + problem.sentence())
    if preview.new_types and not args.add_types:
        print(f"文件中有新的驿站类型：{'、'.join(preview.new_types)}；如要添加，请加上 --add-types 再导入。")
    if preview.new_services and not args.add_services:
        print(f"文件中有新的服务项目：{'、'.join(preview.new_services)}；如要添加，请加上 --add-services 再导入。")
    if preview.operation_id:
        print(f"如需撤销这次导入：station undo-import {preview.operation_id}")
    return 0


def cmd_station_undo_import(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        count = undo_station_import(reg, args.operation)
    print(f"已撤销驿站名单导入，恢复或删除了{count}项。")
    return 0


def cmd_station_coverage(args: argparse.Namespace) -> int:
    day = date.fromisoformat(user_date("统计日期", args.date, day=True) or date.today().isoformat())
    with open_registry(args) as reg:
        coverage = care_coverage(reg, day)
    if args.json:
        print_json(coverage.as_dict())
        return 0
    figures = {"coverage": coverage.as_dict()}
    print(f"{cn_date(day.isoformat())}各街道关爱阵地覆盖情况（服务人次为{day.year}年{day.month}月）：")
    print_table(street_rows(figures), list(STREET_HEADER))
    return 0


# Merchants and care streets --------------------------------------------------------------------------------

MERCHANT_FLAGS = (("address", "--address", "地址"), ("street", "--street", "街道"), ("community", "--community", "社区"),
                  ("offers", "--offers", "为快递小哥提供的服务（如 免费热水、九折）"),
                  ("station", "--station", "关联的驿站名称"), ("care_street", "--care-street", "所在暖蜂一条街"),
                  ("contact", "--contact", "联系人"), ("phone", "--phone", "联系电话"), ("notes", "--notes", "备注"))
CARE_STREET_FLAGS = (("district", "--district", "区"), ("street", "--street", "街道"), ("notes", "--notes", "备注"))


def _given(args: argparse.Namespace, flags: tuple[tuple[str, str, str], ...], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: getattr(args, k) for k, _, _ in flags if k not in skip and getattr(args, k, None) is not None}


def cmd_merchant_add(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        care_lists.add_merchant(reg, name=args.name, **_given(args, MERCHANT_FLAGS))
    print(f"已添加暖蜂商户：{args.name}")
    return 0


def cmd_merchant_edit(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        changes = _given(args, MERCHANT_FLAGS, skip=("community",))
        if args.new_name:
            changes["name"] = args.new_name
        if args.new_community is not None:
            changes["community"] = args.new_community
        diff = care_lists.edit_merchant(reg, args.name, args.community, **changes)
    print(f"已修改{len(diff)}项。" if diff else "没有需要修改的内容。")
    return 0


def cmd_merchant_delete(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        care_lists.delete_merchant(reg, args.name, args.community)
    print(f"已删除暖蜂商户：{args.name}")
    return 0


def cmd_merchant_list(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        rows = care_lists.list_merchants(reg)
    if args.json:
        print_json(rows)
    else:
        print_table([(r["name"], r["street"], r["community"], r["offers"], r["station"], r["care_street"], r["phone"])
                     for r in rows], ["商户", "街道", "社区", "提供的服务", "关联驿站", "暖蜂一条街", "联系电话"])
    return 0


def cmd_care_street_add(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        care_lists.add_care_street(reg, name=args.name, **_given(args, CARE_STREET_FLAGS))
    print(f"已添加暖蜂一条街：{args.name}")
    return 0


def cmd_care_street_edit(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        changes = _given(args, CARE_STREET_FLAGS)
        if args.new_name:
            changes["name"] = args.new_name
        diff = care_lists.edit_care_street(reg, args.name, **changes)
    print(f"已修改{len(diff)}项。" if diff else "没有需要修改的内容。")
    return 0


def cmd_care_street_delete(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        unlinked = care_lists.delete_care_street(reg, args.name)
    print(f"已删除暖蜂一条街：{args.name}" + (f"；{unlinked}家商户保留，不再属于这条街。" if unlinked else "。"))
    return 0


def cmd_care_street_list(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        rows = care_lists.list_care_streets(reg)
    if args.json:
        print_json(rows)
    else:
        print_table([(r["name"], r["district"], r["street"], r["merchants"], r["notes"]) for r in rows],
                    ["暖蜂一条街", "区", "街道", "商户数", "备注"])
    return 0


def _flags(p: argparse.ArgumentParser, flags: tuple[tuple[str, str, str], ...], skip: tuple[str, ...] = ()) -> None:
    for key, flag, help_text in flags:
        if key not in skip:
            p.add_argument(flag, dest=_dest(key), help=help_text)


def register(sub: argparse._SubParsersAction) -> None:
    st = sub.add_parser("station", help="关爱阵地（暖蜂驿站、江城蜂巢等）").add_subparsers(
        dest="station_command", metavar="操作", required=True)
    p = st.add_parser("add", help="添加驿站")
    p.add_argument("name", metavar="驿站名称", help="驿站名称")
    _flags(p, STATION_FLAGS)
    p.set_defaults(handler=cmd_station_add)
    p = st.add_parser("edit", help="修改驿站（只改写明的项）")
    p.add_argument("name", metavar="驿站名称", help="驿站名称")
    p.add_argument("--community", help="同名驿站不止一个时，要修改的驿站所在社区")
    p.add_argument("--new-name", help="新名称")
    p.add_argument("--new-community", help="新的所在社区")
    _flags(p, STATION_FLAGS, skip=("community",))
    p.set_defaults(handler=cmd_station_edit)
    for name, handler, help_text in (("delete", cmd_station_delete, "删除驿站（在此报到的记录保留）"),
                                     ("show", cmd_station_show, "查看驿站")):
        p = st.add_parser(name, help=help_text)
        p.add_argument("name", metavar="驿站名称", help="驿站名称")
        p.add_argument("--community", help="同名驿站不止一个时，驿站所在社区")
        if name == "show":
            p.add_argument("--json", action="store_true", help="以JSON输出")
        p.set_defaults(handler=handler)
    p = st.add_parser("list", help="列出驿站")
    p.add_argument("--type", help="只列这一类型")
    p.add_argument("--street", help="只列这个街道")
    p.add_argument("--community", help="只列这个社区")
    p.add_argument("--service", help="只列提供这项服务的（如 党员报到处）")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_station_list)
    p = st.add_parser("visits", help="登记或查看每月服务人次")
    p.add_argument("name", metavar="驿站名称", help="驿站名称")
    p.add_argument("--community", help="同名驿站不止一个时，驿站所在社区")
    p.add_argument("--month", help="月份（如 2026-11）")
    p.add_argument("--count", help="服务人次；不写则列出已登记的各月人次")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_station_visits)
    p = st.add_parser("types", help="驿站类型：列出、添加、改名或删除")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_station_types)
    types = p.add_subparsers(dest="types_command", metavar="操作")
    q = types.add_parser("add", help="添加驿站类型")
    q.add_argument("type_name", metavar="类型名称", help="新类型的名称")
    q.add_argument("--uses-class", action="store_true", help="这类驿站分一类、二类、三类")
    q.set_defaults(handler=cmd_station_types, json=False)
    q = types.add_parser("rename", help="给自行添加的驿站类型改名（该类型的驿站随之更改）")
    q.add_argument("type_name", metavar="类型名称", help="现在的名称")
    q.add_argument("new_name", metavar="新名称", help="改成的名称")
    q.set_defaults(handler=cmd_station_types, json=False)
    q = types.add_parser("delete", help="删除自行添加、没有驿站使用的驿站类型")
    q.add_argument("type_name", metavar="类型名称", help="要删除的类型")
    q.set_defaults(handler=cmd_station_types, json=False)
    p = st.add_parser("services", help="服务项目：列出或添加")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_station_services)
    services = p.add_subparsers(dest="services_command", metavar="操作")
    q = services.add_parser("add", help="添加服务项目")
    q.add_argument("service_name", metavar="服务项目", help="新服务项目的名称")
    q.set_defaults(handler=cmd_station_services, json=False)
    p = st.add_parser("import", help="从Excel或CSV导入驿站名单（同名同社区的更新，其余新增）")
    p.add_argument("file", metavar="文件", help="驿站名单（.xlsx、.xls、.ods或.csv）")
    p.add_argument("--dry-run", action="store_true", help="只预览，列出问题，不导入")
    p.add_argument("--add-types", action="store_true", help="把文件中的新类型加入类型列表")
    p.add_argument("--add-services", action="store_true", help="把文件中的新服务项目加入列表")
    p.set_defaults(handler=cmd_station_import)
    p = st.add_parser("undo-import", help="撤销一次驿站名单导入")
    p.add_argument("operation", metavar="操作编号", type=int, nargs="?", help="导入时显示的操作编号；不写则撤销最近一次")
    p.set_defaults(handler=cmd_station_undo_import)
    p = st.add_parser("coverage", help="各街道关爱阵地覆盖情况")
    p.add_argument("--date", help="统计日期（默认今天）")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_station_coverage)

    me = sub.add_parser("merchant", help="暖蜂商户").add_subparsers(dest="merchant_command", metavar="操作",
                                                                 required=True)
    p = me.add_parser("add", help="添加暖蜂商户")
    p.add_argument("name", metavar="商户名称", help="暖蜂商户名称")
    _flags(p, MERCHANT_FLAGS)
    p.set_defaults(handler=cmd_merchant_add)
    p = me.add_parser("edit", help="修改暖蜂商户")
    p.add_argument("name", metavar="商户名称", help="暖蜂商户名称")
    p.add_argument("--community", help="同名商户不止一家时，所在社区")
    p.add_argument("--new-name", help="新名称")
    p.add_argument("--new-community", help="新的所在社区")
    _flags(p, MERCHANT_FLAGS, skip=("community",))
    p.set_defaults(handler=cmd_merchant_edit)
    p = me.add_parser("delete", help="删除暖蜂商户")
    p.add_argument("name", metavar="商户名称", help="暖蜂商户名称")
    p.add_argument("--community", help="同名商户不止一家时，所在社区")
    p.set_defaults(handler=cmd_merchant_delete)
    p = me.add_parser("list", help="列出暖蜂商户")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_merchant_list)

    cs = sub.add_parser("care-street", help="暖蜂一条街").add_subparsers(dest="care_street_command", metavar="操作",
                                                                    required=True)
    p = cs.add_parser("add", help="添加暖蜂一条街")
    p.add_argument("name", metavar="名称", help="暖蜂一条街名称")
    _flags(p, CARE_STREET_FLAGS)
    p.set_defaults(handler=cmd_care_street_add)
    p = cs.add_parser("edit", help="修改暖蜂一条街")
    p.add_argument("name", metavar="名称", help="暖蜂一条街名称")
    p.add_argument("--new-name", help="新名称")
    _flags(p, CARE_STREET_FLAGS)
    p.set_defaults(handler=cmd_care_street_edit)
    p = cs.add_parser("delete", help="删除暖蜂一条街（商户保留）")
    p.add_argument("name", metavar="名称", help="暖蜂一条街名称")
    p.set_defaults(handler=cmd_care_street_delete)
    p = cs.add_parser("list", help="列出暖蜂一条街")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_care_street_list)
