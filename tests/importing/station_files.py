"""A realistic station list (驿站名单) as a street office sends it: merged title, 填报单位 row, 合计 and 填表人 rows."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HEADER = ("序号", "站点名称", "类型", "星级", "详细地址", "所属街道", "社区", "承建单位", "服务项目", "开放时间", "联系人",
          "联系电话")
ROWS = (
    (1, "白石洲暖蜂驿站", "暖蜂驿站", None, "沙河街道白石洲路1号", "沙河街道", "白石洲社区", "顺丰速运沙河营业部",
     "饮水、充电，休息/党员报到处", "全天", "王　站长", "138 0013 8000"),
    (2, "武车江城蜂巢", "江城蜂巢", "三类", "徐家棚街道武车路8号", "徐家棚街道", "武车社区", "完美（中国）湖北分公司",
     "热水、微波炉、医药包、桌椅", "8:00-22:00", "刘　芳", "027-8888 6666"),
    (3, "华侨城骑手之家", "骑手之家", None, "沙河街道华侨城", "沙河街道", "华侨城社区", None, "饮水、共享雨伞",
     "9:00-21:00", "张三", "12345"),
    (4, "白石洲暖蜂驿站", "暖蜂驿站", None, "重复的一行", "沙河街道", "白石洲", None, "饮水", None, None, None),
    (5, "\u3000南桥爱心驿站\u3000", "爱心驿站", "一类", "南桥路2号", "城南街道", "南桥社区", None, "饮水、卫生间", None, None,
     "+86 139 0013 9000"),
)


def write_station_list(path: Path, rows: tuple[tuple[object, ...], ...] = ROWS) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "驿站名单"
    ws.append(["示例市快递小哥关爱阵地（驿站）名单"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(["填报单位（盖章）：示例市快递行业党委", None, None, None, None, None, None, None, "填报时间：2026年11月"])
    ws.append(list(HEADER))
    for row in rows:
        ws.append(list(row))
    ws.append([None] * len(HEADER))
    ws.append(["合计", f"{len(rows)}个"])
    ws.append(["填表人：李书记", None, None, None, "审核人：王主任"])
    wb.save(path)
    return path
