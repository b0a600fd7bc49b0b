"""Volunteer lists as .xlsx: activities (one row each) and the points ranking, audited like every export."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from registry import exports
from registry.display import cn_date
from registry.exporting.xlsx_writer import ColumnSpec, XlsxWriter
from registry.services.volunteer import ActivityRow
from registry.services.volunteer_queries import RankRow
from registry.storage.database import Registry

ACTIVITY_COLUMNS = (("编号", 8, True), ("日期", 16, False), ("活动名称", 28, False), ("活动类型", 12, False),
                    ("地点", 20, False), ("组织单位", 30, False), ("岗位", 22, False), ("参加人数", 10, True),
                    ("其中党员", 10, True), ("服务时长（小时）", 14, True), ("积分", 10, True))
RANK_COLUMNS = (("名次", 8, True), ("姓名", 12, False), ("身份", 12, False), ("类别", 12, False),
                ("党组织", 30, False), ("网点", 20, False), ("活动次数", 10, True), ("服务时长（小时）", 14, True),
                ("积分", 10, True))


def _write(path: Path, title: str, subtitle: str, columns: Sequence[tuple[str, float, bool]],
           rows: Sequence[Sequence[object]]) -> None:
    with XlsxWriter(path, title=title) as writer:
        sheet = writer.add_sheet(title[:31], [ColumnSpec(width, numeric=numeric) for _, width, numeric in columns])
        sheet.title(title)
        sheet.subtitle(subtitle)
        sheet.header([label for label, _, _ in columns])
        sheet.freeze_below_header()
        sheet.print_setup()
        sheet.rows(rows)


def export_activities(reg: Registry, rows: Sequence[ActivityRow], out: Path, subtitle: str = "") -> None:
    """The activities as listed (filtered and sorted as the user sees them) to `out`."""
    out = exports.check_target(out, (".xlsx",), "志愿服务活动", "志愿服务活动.xlsx")
    body = [(r.id, cn_date(r.held_on), r.title, r.kind, r.place or "", r.organization or "", r.post or "",
             r.participants, r.members, r.hours, r.points) for r in rows]
    exports.publish(reg, out, action="export.volunteer.activities", summary=f"导出志愿服务活动 {out.name}（{len(rows)}次）",
                    write=lambda tmp: _write(tmp, "志愿服务活动", subtitle or f"共 {len(rows)} 次活动", ACTIVITY_COLUMNS, body),
                    detail={"format": "xlsx", "rows": len(rows), "report": "volunteer.activities"})


def export_ranking(reg: Registry, rows: Sequence[RankRow], out: Path, subtitle: str = "") -> None:
    """A points ranking (names, no ID numbers) to `out`."""
    out = exports.check_target(out, (".xlsx",), "积分排名", "志愿服务积分排名.xlsx")
    body = [(r.rank, r.name, r.member, r.category, r.organization or "", r.outlet or "", r.activities, r.hours, r.points)
            for r in rows]
    exports.publish(reg, out, action="export.volunteer.ranking", summary=f"导出志愿服务积分排名 {out.name}（{len(rows)}人）",
                    write=lambda tmp: _write(tmp, "志愿服务积分排名", subtitle or f"共 {len(rows)} 人", RANK_COLUMNS, body),
                    detail={"format": "xlsx", "rows": len(rows), "report": "volunteer.ranking"})


POST_COLUMNS = (("编号", 8, True), ("岗位", 28, False), ("类型", 14, False), ("所属党组织", 30, False),
                ("网点", 20, False), ("服务区域", 16, False), ("在岗人数", 10, True), ("状态", 20, False))


def export_posts(reg: Registry, posts: Sequence[dict[str, object]], out: Path) -> None:
    """The posts as listed, with how many hold each now."""
    out = exports.check_target(out, (".xlsx",), "志愿服务岗位", "志愿服务岗位.xlsx")
    body = [(p["id"], p["name"], p["kind"], p["organization"] or "", p["outlet"] or "", p["area"] or "", p["holders"],
             f"已关闭（{cn_date(p['closed_on'])}）" if p["closed_on"] else "在设") for p in posts]  # type: ignore[arg-type]
    exports.publish(reg, out, action="export.volunteer.posts", summary=f"导出志愿服务岗位 {out.name}（{len(posts)}个）",
                    write=lambda tmp: _write(tmp, "志愿服务岗位", f"共 {len(posts)} 个岗位", POST_COLUMNS, body),
                    detail={"format": "xlsx", "rows": len(posts), "report": "volunteer.posts"})
