"""Laying out the monthly / half-monthly report from the figures `monthly.monthly_figures` gathers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer, Table

from registry.display import cn_date
from registry.reports.charts import bar_chart
from registry.reports.org_life_section import gap_sentence
from registry.reports.styles import (
    CELL,
    LIST,
    META,
    NOTE,
    PORTRAIT,
    SMALL_CELL,
    SUBTITLE,
    ReportDocument,
    grid_table,
    heading,
    layout_table,
    name_grid,
    para,
    signature_block,
    title,
)

MARGINS = (20 * mm, 20 * mm, 20 * mm, 18 * mm)
WIDTH = PORTRAIT[0] - MARGINS[0] - MARGINS[1]
RED = colors.HexColor("#B3261E")
SECTION_NUMBERS = "一二三四五六七八九十"
# Column headings of the 组织生活 table, broken to fit narrow columns; at most this many missed periods are named.
KIND_HEADINGS = {"支部党员大会": "党员\n大会", "支部委员会": "支委会", "党小组会": "党小组\n会", "党课": "党课",
                 "主题党日": "主题\n党日", "组织生活会": "组织\n生活会", "民主评议党员": "民主\n评议", "谈心谈话": "谈心\n谈话"}
KIND_SHORT = {"支部党员大会": "党员大会", "支部委员会": "支委会", "民主评议党员": "民主评议"}
SMALL_LIST = ParagraphStyle("org_life_gaps", parent=LIST, fontSize=8.5, leading=12, leftIndent=12)


def fmt(value: Any, places: int | None = None) -> str:
    """Counts as they are; hours and points without a needless .0; percentages (places=1) always 66.7 / 90.0."""
    if value is None:
        return ""
    if places is not None:
        return f"{value:.{places}f}"
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
    return str(value)


def signed(value: Any, places: int | None = None) -> str:
    text = fmt(value, places)
    return "+" + text if isinstance(value, int | float) and value > 0 else text


def _short_day(iso: str) -> str:
    parts = iso.split("-")
    return f"{int(parts[1])}月{int(parts[2])}日" if len(parts) == 3 else cn_date(iso)


def _comparison(rows: list[dict[str, Any]], first: str, current: str, previous: str,
                totals: tuple[str, ...] = ()) -> Table:
    places = [1 if r["key"].endswith("coverage") else None for r in rows]
    body = [[r["label"], fmt(r["current"], n), fmt(r["previous"], n), signed(r["change"], n)]
            for r, n in zip(rows, places, strict=True)]
    total_rows = [i for i, r in enumerate(rows) if r["key"] in totals]
    return grid_table(body, [WIDTH * 0.40, WIDTH * 0.20, WIDTH * 0.20, WIDTH * 0.20],
                      header=[first, current, previous, "增减"], numeric=(1, 2, 3), total_rows=total_rows)


def _names(label: str, people: list[dict[str, Any]], describe: Any, columns: int = 3) -> list[Flowable]:
    return [para(f"{label}（{len(people)}人）：", LIST),
            name_grid([describe(p) for p in people], WIDTH, columns)]


def _cover(f: dict[str, Any]) -> list[Flowable]:
    period = f["period"]
    meta = layout_table(
        [[para(f"填报单位：{f['unit']}", META), para(f"填报日期：{cn_date(f['generated_on'])}", META)],
         [para(f"统计期间：{period['span']}", META), para(f"对比上期：{f['previous_period']['label']}", META)]],
        [WIDTH * 0.64, WIDTH * 0.36], ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1))
    return [title(f["title"]), para(f"（{period['label']}）", SUBTITLE), meta, Spacer(1, 2),
            HRFlowable(width="100%", thickness=1.6, color=RED, spaceBefore=2, spaceAfter=1),
            HRFlowable(width="100%", thickness=0.5, color=RED, spaceAfter=4)]


def _totals(f: dict[str, Any], n: str) -> list[Flowable]:
    period, prev = f["period"], f["previous_period"]
    m = f["members"]
    # The 其中 rows under 党员合计 are indented to line up after “其中：”.
    indent = {"flowing_in": "　　　", "unverified": "　　　", "stopped": "　　　", "lost_contact": "　　　",
              "flowing_out": "　　　　　　"}
    rows = [{**r, "label": indent.get(r["key"], "") + r["label"]} for r in f["totals"]]
    table = _comparison(rows, "项　目（人）", f"本期末（{_short_day(period['end'])}）",
                        f"上期末（{_short_day(prev['end'])}）", totals=("members", "people"))
    note = (f"注：党员合计{m['total']}人＝在册党员{m['registered']}人＋流入党员{m['flowing_in']}人"
            f"＋组织关系待核实{m['unverified']}人＋停止党籍{m['stopped']}人。在册党员含外出流动（流出）党员；"
            "流入党员的组织关系在流出地党组织，在本地报到、参加组织生活，单列统计，不计入在册党员，不重复统计；"
            "失联党员已含在以上人数中。人数按期末在本单位管理的人员统计：纳入管理之前和离开之后均不计入。")
    return [heading(f"{n}、党员和发展党员总体情况"), table, para(note, NOTE)]


MEMBER_COLUMNS = (("registered", "在册党员"), ("flowing_in", "流入党员"), ("unverified", "关系待核实"),
                  ("stopped", "停止党籍"))
PIPELINE_COLUMNS = ("入党申请人", "入党积极分子", "发展对象", "预备党员", "正式党员")


def _pivot(f: dict[str, Any], columns: tuple[tuple[str, str], ...], figure: str, total: str | None,
           changes: str) -> Table:
    """上期末, one row per change line (＋ additions, － removals), 本期末: a column per group."""
    keys = [k for k, _ in columns]
    lines = [c for c in f[changes] if c["group"] in keys]
    order: list[tuple[str, int]] = []
    for c in sorted(lines, key=lambda c: c["delta"] < 0):
        key = (c["line"], 1 if c["delta"] > 0 else -1)
        if key not in order:
            order.append(key)

    def row(label: str, values: list[int], sign: bool = False) -> list[str]:
        cells = [signed(v) if sign else fmt(v) for v in values]
        return [label, *cells, *([signed(sum(values)) if sign else fmt(sum(values))] if total else [])]

    source = "（已报送）" if f["previous"].get("source") == "submitted" else ""
    body = [row(f"上期末{source}", [f["previous"][figure][k] for k in keys])]
    for line, sign in order:
        values = [sum(c["delta"] for c in lines if c["group"] == k and c["line"] == line
                      and (c["delta"] > 0) == (sign > 0)) for k in keys]
        body.append(row(("＋" if sign > 0 else "－") + line, values, sign=True))
    body.append(row("本期末", [f["current"][figure][k] for k in keys]))
    first = WIDTH * 0.30
    rest = (WIDTH - first) / (len(keys) + (1 if total else 0))
    header = ["项　目（人）", *(label for _, label in columns), *([total] if total else [])]
    return grid_table(body, [first] + [rest] * (len(header) - 1), header=header, size=9,
                      numeric=tuple(range(1, len(header))), total_rows=[0, len(body) - 1])


def _balance(f: dict[str, Any], n: str) -> list[Flowable]:
    m = f["current"]["members"]
    out: list[Flowable] = [heading(f"{n}、本期人员增减情况（上期末＋增加－减少＝本期末）"),
                           _pivot(f, MEMBER_COLUMNS, "members", "党员合计", "changes"),
                           para(f"注：在册党员含外出流动（流出）党员{m['flowing_out']}人，仍由本单位统计；流入党员组织关系在外地，"
                                "由本地管理，单列统计；关系待核实的党员须尽快核实组织关系。", NOTE), Spacer(1, 4),
                           _pivot(f, tuple((c, c) for c in PIPELINE_COLUMNS), "by_category", None, "pipeline_changes")]
    for d in f.get("differences", []):
        out.append(para(f"差异说明：{d['line']}上期报送{d['submitted']}人，按现有数据重新计算为{d['recomputed']}人，"
                        f"涉及：{'、'.join(d['people']) or '（无记名变动）'}。", LIST))
    listed = [c for c in f["changes"] + f["pipeline_changes"] if c["people"]]
    if not listed:
        out.append(para("本期无人员增减。", LIST))
    labels = {**dict(MEMBER_COLUMNS), **{c: c for c in PIPELINE_COLUMNS}, "群众": "群众"}
    for c in listed:
        if c["group"] in ("群众",):
            continue
        sign = "增加" if c["delta"] > 0 else "减少"
        out += [para(f"{labels.get(c['group'], c['group'])}{sign}·{c['line']}（{len(c['people'])}人）：", LIST),
                name_grid(c["people"], WIDTH, 4)]
    return out


def _changes(f: dict[str, Any], n: str) -> list[Flowable]:
    rows = f["activity"]
    out: list[Flowable] = [heading(f"{n}、本期发展党员和组织关系转接情况"),
                           _comparison(rows, "变动事项（人）", "本期", "上期")]
    out.append(para("注：本表按事项的发生日期统计，含本期新纳入管理的人员此前发生的事项，因此可能多于上表的增减人数。", NOTE))
    listed = [r for r in rows if r["people"]]
    if not listed:
        out.append(para("本期无人员变动。", LIST))
    for r in listed:
        out += _names(r["label"], r["people"], lambda p, key=r["key"]: _describe(key, p),
                      2 if r["key"].startswith(("transfer", "left")) else 3)
    return out


def _describe(key: str, p: dict[str, Any]) -> str:
    """One person in a list of changes: name and outlet, and where from / where to for transfers."""
    where = p["outlet"] or "未注明网点"
    if key == "transfer_in":
        return f"{p['name']}（{where}，自{p['from_org'] or '外单位'}转入）"
    if key == "transfer_out":
        return f"{p['name']}（{where}，转往{p['to_org'] or '外单位'}）"
    if key == "left" and p.get("reason"):
        return f"{p['name']}（{where}，{p['reason']}）"
    return f"{p['name']}（{where}）"


def _coverage(f: dict[str, Any], n: str) -> list[Flowable]:
    period, prev = f["period"], f["previous_period"]
    out: list[Flowable] = [heading(f"{n}、快递网点覆盖情况"),
                           _comparison(f["coverage"], "项　目", f"本期末（{_short_day(period['end'])}）",
                                       f"上期末（{_short_day(prev['end'])}）")]
    brands = f["brands"]
    if brands:
        body = [[b["brand"], fmt(b["outlets"]), fmt(b["workers"]), fmt(b["with_members"]),
                 fmt(b["with_organization"]), fmt(b["members"] - b["flowing"]), fmt(b["flowing"]), fmt(b["members"])]
                for b in brands]
        totals = ["合计", *(fmt(sum(int(row[i]) for row in body)) for i in range(1, 8))]
        widths = [WIDTH * 0.19] + [WIDTH * 0.81 / 7] * 7
        table = grid_table([*body, totals], widths, size=9,
                           header=["快递品牌", "网点数", "从业人员", "有党员\n网点", "有党组织\n网点", "在册党员",
                                   "流动党员", "党员合计"],
                           numeric=range(1, 8), total_rows=[len(body)])
        chart = bar_chart(f["chart"]["labels"], f["chart"]["series"], width=WIDTH, height=200,
                          title=f["chart"]["title"] + f"（{_short_day(period['end'])}）")
        out += [Spacer(1, 6), para("各快递品牌网点和党员分布：", LIST), Spacer(1, 3), table]
        listed = sum(b["members"] for b in brands)
        left_out = [f"{f['without_outlet']}名党员未登记所在网点"] if f["without_outlet"] else []
        left_out += [f"{f['stopped_not_in_brands']}名停止党籍党员"] if f.get("stopped_not_in_brands") else []
        if left_out:
            out.append(para(f"注：上表党员合计{listed}人；另有{'、'.join(left_out)}未计入上表和下图，"
                            f"与总体情况中的党员合计{f['current']['members']['total']}人相符。", NOTE))
        out += [Spacer(1, 8), KeepTogether([chart])]
    return out


def _org_life(f: dict[str, Any], n: str) -> list[Flowable]:
    life = f["org_life"]
    out: list[Flowable] = [heading(f"{n}、组织生活开展情况（三会一课）")]
    branches = life["branches"]
    if not branches:
        return [*out, para("本范围内没有党支部。", LIST)]
    kinds = life["kinds"]
    header = ["党支部", *(KIND_HEADINGS.get(k, k) for k in kinds), "本期\n会议", "出勤率", "落实情况"]
    body = []
    for b in branches:
        req = b["requirements"]
        notes = _standing(req, b["missing"])
        rate = b["attendance_rate"]
        body.append([para(b["organization"], CELL),
                     *("—" if req[k]["state"] == "na" else f"{req[k]['held']}/{req[k]['required']}" for k in kinds),
                     fmt(b["meetings"]), "—" if rate is None else f"{fmt(rate, 1)}%",
                     Paragraph("已落实" if not notes else "<br/>".join(notes), SMALL_CELL)])
    widths = [WIDTH * 0.18] + [WIDTH * 0.065] * len(kinds) + [WIDTH * 0.06, WIDTH * 0.075]
    widths.append(WIDTH - sum(widths))
    table = grid_table(body, widths, header=header, size=8, numeric=(len(kinds) + 1, len(kinds) + 2),
                       centered=range(1, len(kinds) + 1))
    s, rate = life["summary"], life["attendance"]
    open_items = len(branches) - life["complete"]
    state = ("各党支部组织生活均已按要求落实。" if not open_items else
             f"{life['complete']}个党支部已全部落实，{open_items}个党支部尚有未开或待开的会议（见下表）。")
    rates = "" if rate["current"] is None else (
        f"，出勤率{fmt(rate['current'], 1)}%" + ("" if rate["previous"] is None else f"（上期{fmt(rate['previous'], 1)}%）"))
    summary = (f"本范围内共有党支部{len(branches)}个，本期召开组织生活会议{s['current']}次（上期{s['previous']}次，"
               f"增减{signed(s['change'])}次）{rates}；{state}")
    note = ("注：表中为“已开/应开”，按各项要求的周期（支部委员会、党小组会、主题党日按月，支部党员大会按季度，党课按本支部"
            "设置，组织生活会、民主评议党员、谈心谈话按年）累计至本期末；“—”表示不适用（正式党员不足7人且未登记设支部委员会的"
            "不要求开支部委员会，未划分党小组的不要求开党小组会）；“待开”表示周期尚未结束，“未开”表示已过期限仍未召开。")
    out += [para(summary, LIST), Spacer(1, 3), table, para(note, NOTE)]
    if life["gap_count"]:
        out.append(para(f"本年已过期限未落实的组织生活共{life['gap_count']}项：", LIST))
        for b in branches:
            if b["gaps"]:
                out.append(para(f"{b['organization']}：{gap_sentence(b['gaps'])}", SMALL_LIST))
    return out


def _standing(req: dict[str, Any], missing: list[str]) -> list[str]:
    """The 落实情况 cell: the kinds missed (未开), then how many are still to be held (待开) this period."""
    missed = [KIND_SHORT.get(k, k) for k in missing if req[k]["state"] == "gap"]
    pending = [k for k in missing if req[k]["state"] == "pending"]
    return ([f"未开：{'、'.join(missed)}"] if missed else []) + ([f"待开{len(pending)}项"] if pending else [])


def _volunteer(f: dict[str, Any], n: str) -> list[Flowable]:
    v = f["volunteer"]
    out: list[Flowable] = [heading(f"{n}、志愿服务情况")]
    posts = v.get("posts") or {}
    if "activities" in v:  # figures archived before posts and activities existed have only the rows
        out.append(para(
            f"本期开展志愿服务活动{v['activities']}次，{v['people']}人参与（党员{v['members']}人、群众及其他{v['others']}人），"
            f"共{v['times']}人次，服务{fmt(v['hours'])}小时，获得积分{fmt(v['points'])}分；期末在设岗位{posts.get('open', 0)}个，"
            f"在岗认领{posts.get('held', 0)}人次（党员{posts.get('held_by_members', 0)}人次），"
            f"本期新认领{posts.get('claimed', 0)}人次。", LIST))
        out.append(Spacer(1, 3))
    out = [KeepTogether([*out, _comparison(v["rows"], "项　目", "本期", "上期")])]  # the heading stays with its table
    if v.get("by_type"):
        body = [[t["kind"], fmt(t["activities"]), fmt(t["times"]), fmt(t["member_times"]), fmt(t["hours"]),
                 fmt(t["points"])] for t in v["by_type"]]
        out += [Spacer(1, 6), para("本期按活动类型：", LIST), Spacer(1, 3),
                grid_table(body, [WIDTH * 0.28] + [WIDTH * 0.72 / 5] * 5,
                           header=["活动类型", "活动（次）", "参与（人次）", "其中党员\n（人次）", "时长（小时）", "积分"],
                           numeric=range(1, 6), size=9)]
    if v["top"]:
        body = [[str(row.get("rank", i)), row["name"], row.get("member", ""), row.get("outlet") or "",
                 fmt(row.get("activities", "")), fmt(float(row["hours"])), fmt(float(row["points"]))]
                for i, row in enumerate(v["top"], 1)]
        out += [Spacer(1, 6), para(f"本期积分前{len(body)}名：", LIST), Spacer(1, 3),
                grid_table(body, [WIDTH * 0.09, WIDTH * 0.16, WIDTH * 0.14, WIDTH * 0.25, WIDTH * 0.10, WIDTH * 0.13,
                                  WIDTH * 0.13],
                           header=["名次", "姓名", "身份", "网点", "次数", "时长（小时）", "积分"], centered=(0, 2),
                           numeric=(4, 5, 6), size=9),
                para("注：积分按活动日期适用的积分规则计算，含经说明原因的人工调整；身份中“党员”含正式党员和预备党员。", NOTE)]
    return out


def _care(f: dict[str, Any], n: str) -> list[Flowable]:
    from registry.reports.care_section import care_flowables

    return care_flowables(f, n, WIDTH, _comparison) if "care" in f else []


def _dues(f: dict[str, Any], n: str) -> list[Flowable]:
    """党费: the figures from registry/reports/dues_section.py, this period beside the previous one."""
    from registry.reports.dues_section import dues_note

    d = f["dues"]
    places = {"collected": 2}  # money to the 分
    body = [[r["label"], fmt(r["current"], places.get(r["key"])), fmt(r["previous"], places.get(r["key"])),
             signed(r["change"], places.get(r["key"]))] for r in d["rows"]]
    table = grid_table(body, [WIDTH * 0.40, WIDTH * 0.20, WIDTH * 0.20, WIDTH * 0.20],
                       header=["项　目", "本期", "上期", "增减"], numeric=(1, 2, 3))
    return [heading(f"{n}、党费收缴情况"), table, para(dues_note(d), NOTE)]


def _due(f: dict[str, Any], n: str) -> list[Flowable]:
    due = f["due"]
    span = f"{cn_date(due['start'])}至{_short_day(due['end'])}"
    name = "下月" if f["period"]["kind"] == "month" else "下一阶段"
    body = [[k["label"], fmt(k["count"])] for k in due["kinds"]]
    out: list[Flowable] = [heading(f"{n}、{name}到期事项（{span}）"),
                           grid_table([*body, ["合计", fmt(due["total"])]], [WIDTH * 0.75, WIDTH * 0.25],
                                      header=["事　项", "人数"], numeric=(1,), total_rows=[len(body)])]
    for k in due["kinds"]:
        if k["people"]:
            out += _names(k["label"], k["people"],
                          lambda p: f"{p['name']}（{p['outlet'] or '未注明网点'}，{_short_day(p['date'])}）")
    if due["overdue"]:
        out.append(para(f"另有已到期尚未办理的事项{due['overdue']}项，请在台账“到期事项”中查看并及时处理。", LIST))
    return out


def monthly_story(f: dict[str, Any]) -> list[Flowable]:
    story = _cover(f)
    sections = (_totals, _balance, _changes, _coverage, _care, _org_life, _dues, _volunteer, _due)
    for i, section in enumerate(sections):
        story += section(f, SECTION_NUMBERS[i])
    # The signature block never stands alone on the last page: it keeps the report's last lines with it.
    story.append(KeepTogether([story.pop(), Spacer(1, 14), signature_block(WIDTH, reporter=f.get("reporter"))]))
    return story


def build_monthly_pdf(figures: dict[str, Any], out: Path) -> int:
    """Write the report to `out`; returns the number of pages."""
    doc = ReportDocument(Path(out), pagesize=PORTRAIT, doc_title=f"{figures['title']}（{figures['period']['label']}）",
                         unit=figures["unit"], margins=MARGINS)
    doc.render(monthly_story(figures))
    return doc.page
