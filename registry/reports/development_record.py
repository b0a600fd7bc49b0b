"""The 发展党员工作全程纪实表 from the recorded steps: every stage and step with its date and fields, and a
conclusion that names every missing or late step and every error with the article it rests on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from registry.display import cn_date
from registry.reports.dev_text import LEVELS, entry_date, entry_details, step_label
from registry.reports.paper import Cell, Paper, band, header, label, value
from registry.rules.dates import PartialDate
from registry.rules.deadlines import approval_lapses_on, probation_end, talk_due, target_eligible_on
from registry.rules.dev_steps import BY_KEY, STAGE_NAMES, XIZE, ZHANGCHENG

RECORD_TITLE = "发展党员工作全程纪实表"
STAGE_NUMBERS = "一二三四五"
# The columns of the stage table: 序号, 步骤, 日期, 有关情况, 依据, 完成情况.
STEP_WIDTHS = [0.06, 0.18, 0.17, 0.31, 0.165, 0.115]
FINDING_WIDTHS = [0.055, 0.075, 0.2, 0.47, 0.2]
MISSING_RULES = {"step_missing", "step_missing_overridden"}


def short_article(article: str) -> str:
    """《细则》第十四条 for 《中国共产党发展党员工作细则》第十四条 (the note under the table says which is which)."""
    return article.replace(XIZE, "《细则》").replace(ZHANGCHENG, "《党章》")


def numbered_findings(outline: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every finding of the record in step order (then those on no step), historical ones left out: they are
    summed up in one line. Each gets its number in the conclusion."""
    found = [f for s in outline["steps"] for f in s["findings"]] + list(outline["other_findings"])
    out = [f for f in found if f["rule"] != "not_recorded"]
    return [{**f, "number": i} for i, f in enumerate(out, 1)]


def _state(step: Mapping[str, Any], numbers: list[int]) -> str:
    # 未录入 / （历史档案） on two lines: the cell is narrow and the words should not break inside.
    state = (step["state"] or ("—" if not step["mandatory"] else "")).replace("（", "\n（")
    if numbers:
        state += f"\n（见问题{'、'.join(map(str, numbers))}）"
    return state


def _hint(p: Mapping[str, Any], key: str) -> str:
    """For a step still to come: by when it is due, or from when it may be taken (the 细则's intervals)."""
    def day(column: str) -> PartialDate | None:
        try:
            return PartialDate.from_iso(str(p[column])) if p.get(column) else None
        except ValueError:
            return None

    applied, activist, joined = day("applied_on"), day("activist_on"), day("joined_on")
    if key == "application_talk" and applied:
        return f"应于{cn_date(str(talk_due(applied)))}前谈话"
    if key == "target_committee" and activist:
        return f"培养考察满一年，最早{cn_date(str(target_eligible_on(activist)))}可列为发展对象"
    if key == "admission_approval" and joined:
        return f"应于{cn_date(str(approval_lapses_on(joined)))}前审批"
    if key == "full_membership" and joined:
        months = p.get("extension_months") or None
        return f"预备期满{cn_date(str(probation_end(joined, months)))}" + (f"（已延长{months}个月）" if months else "")
    return ""


def _step_rows(p: Mapping[str, Any], outline: Mapping[str, Any], found: list[dict[str, Any]]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [[header(h) for h in ("序号", "步骤", "日期", "有关情况", "依据", "完成情况")]]
    number = 0
    for i, stage in enumerate(STAGE_NAMES):
        rows.append([band(f"第{STAGE_NUMBERS[i]}阶段　{stage}", 6)])
        for s in (s for s in outline["steps"] if s["stage"] == stage):
            number += 1
            step = BY_KEY[s["step"]]
            entries = s["entries"]
            if step.repeated and len(entries) > 1:
                dates = "\n".join(cn_date(e["on"]) for e in entries)
                details = "\n".join(f"{cn_date(e['on'])}：{d}" for e in entries if (d := entry_details(step, e)))
                details = f"共{len(entries)}次" + (f"\n{details}" if details else "")
            else:
                dates = "\n".join(entry_date(e) for e in entries)
                details = "\n".join(d for e in entries if (d := entry_details(step, e)))
            state = s["state"]
            if p.get("cancelled_on") and state == "待进行":  # no 转正 after a cancelled probation
                s = {**s, "state": "不再进行"}
            elif not entries and state in ("待进行", ""):
                details = _hint(p, s["step"])
            mine = [f["number"] for f in found if f.get("step") == s["step"]]
            rows.append([value(number, center=True), value(step.label + ("" if step.mandatory else "（非必经）")),
                         value(dates, center=True), value(details), value(short_article(step.article), small=True),
                         value(_state(s, mine), center=True, small=True)])
    return rows


def conclusion(outline: Mapping[str, Any]) -> tuple[str, list[str], list[str]]:
    """The conclusion sentence, the steps missing, and the steps kept only in the paper archive."""
    found = numbered_findings(outline)
    errors = [f for f in found if f["level"] == "error"]
    warnings = [f for f in found if f["level"] != "error"]
    missing = [s["label"] for s in outline["steps"] if s["state"] in ("缺少", "缺少（已记录原因）")]
    historical = [s["label"] for s in outline["steps"] if s["state"] == "未录入（历史档案）"]
    if errors or missing:
        text = f"经核查，发现错误{len(errors)}项、提醒{len(warnings)}项"
        if missing:
            text += f"，缺少步骤{len(missing)}个（{'、'.join(missing)}）"
        text += "，详见下表。请逐项整改或补录；确需跳过的步骤，须记录原因。"
    elif warnings:
        text = f"经核查，未发现错误，有提醒{len(warnings)}项（详见下表），请逐项核对。"
    elif historical:
        text = "经核查，已录入台账的步骤未发现错误；其余步骤在台账建立前完成，未录入（历史档案），请对照纸质档案核对。"
    elif not any(s["entries"] for s in outline["steps"]):
        text = "尚未递交入党申请书，没有发展党员工作记录。"
    elif pending := [s["label"] for s in outline["steps"] if s["state"] == "待进行"]:
        text = f"经核查，已进行的步骤日期、间隔、人数和表决情况均符合有关规定，未发现问题；尚待进行：{'、'.join(pending)}。"
    else:
        text = "经核查，各步骤齐全，日期、间隔、人数和表决情况均符合发展党员工作有关规定，未发现问题。"
    return text, missing, historical


def _facts(p: Mapping[str, Any], show: Any, party_age: tuple[int, int] | None) -> list[list[Cell]]:
    rows = [
        [label("姓　名"), value(show("name")), label("性　别"), value(show("gender")), label("出生日期"),
         value(show("birth_date"))],
        [label("公民身份号码"), value(show("id_number")), label("人员类别"), value(show("category")), label("联系电话"),
         value(show("phone"))],
        [label("所在党组织"), value(p.get("organization") or ""), label("所在网点"), value(p.get("outlet") or ""),
         label("工作岗位"), value(show("job"))],
    ]
    if party_age is not None:
        years, months = party_age
        rows.append([label("党　龄"), value(f"{years}年{months}个月（自{cn_date(p.get('full_on'))}转为正式党员起算，"
                                           "不含停止党籍的时间）", span=5)])
    return rows


def transfer_cells(t: Mapping[str, Any]) -> list[str]:
    """One transfer: a transfer out is complete only with its 回执; until then it reads 转出待接收 with the
    letter's 有效期."""
    if t["direction"] == "in":
        kind, day = "转入", cn_date(t["arrived_on"])
    elif t.get("received_on"):
        kind, day = "转出", cn_date(t["received_on"])
    else:
        kind, day = "转出待接收", f"有效期至{cn_date(t.get('valid_until'), '未填写')}"
    return [kind, t["letter_no"] or "", t["from_org"] or "", t["to_org"] or "", cn_date(t["issued_on"]), day,
            cn_date(t["dues_paid_to"])]


def record_paper(p: Mapping[str, Any], outline: Mapping[str, Any], transfers: list[dict[str, Any]], show: Any,
                 on: Any, unit: str, reporter: str | None = None) -> Paper:
    """The 纪实 of one person as a paper (PDF or workbook)."""
    from registry.reports.person import _relation

    paper = Paper(f"{RECORD_TITLE}（{p['name']}）", unit)
    paper.add("title", RECORD_TITLE)
    paper.add("meta", f"填报单位：{unit}", right=f"填报日期：{cn_date(on)}")
    paper.table(_facts(p, show, outline.get("party_age")), [0.14, 0.22, 0.12, 0.2, 0.12, 0.2])
    paper.add("heading", "一、发展各阶段情况")
    found = numbered_findings(outline)
    paper.table(_step_rows(p, outline, found), STEP_WIDTHS, header_rows=1)
    paper.add("note", "注：《细则》指《中国共产党发展党员工作细则》（2014年），《党章》指《中国共产党章程》。完成情况中，"
                      "未录入（历史档案）指该步骤在本台账建立前完成，见纸质档案；待进行指当前阶段尚待完成的步骤。")
    paper.add("heading", "二、检查结论")
    text, _missing, historical = conclusion(outline)
    paper.add("text", text)
    if found:
        rows: list[list[Cell]] = [[header(h) for h in ("序号", "级别", "步骤", "问题", "依据")]]
        rows += [[value(f["number"], center=True), value(LEVELS.get(f["level"], f["level"]), center=True),
                  value(step_label(f.get("step")) or "—", center=not f.get("step")), value(f["message"]),
                  value(short_article(f["article"]), small=True)]
                 for f in found]
        paper.table(rows, FINDING_WIDTHS, header_rows=1)
    if historical and (found or len(historical) < len(outline["steps"])):
        paper.add("text", f"未录入（历史档案）的步骤{len(historical)}个：{'、'.join(historical)}。")
    numbers = iter("三四五")
    if transfers:
        paper.add("heading", f"{next(numbers)}、组织关系转接记录")
        rows = [[header(h) for h in ("方向", "介绍信编号", "转出党组织", "转入党组织", "开具日期", "报到/回执日期",
                                     "党费交至")]]
        rows += [[value(c, center=i in (0, 1, 4, 5, 6), small=True) for i, c in enumerate(transfer_cells(t))]
                 for t in transfers]
        paper.table(rows, [0.08, 0.17, 0.18, 0.18, 0.13, 0.14, 0.12], header_rows=1)
    relation = _relation(dict(p))
    if relation == "流出":
        paper.add("heading", f"{next(numbers)}、外出流动情况")
        paper.add("text", f"外出流向：{p.get('flow_destination') or '未填写'}；外出日期："
                          f"{cn_date(p.get('flow_left_on'), '未填写')}；外出地联系方式：{p.get('flow_contact') or '未填写'}。")
    if relation == "流入":
        paper.add("heading", f"{next(numbers)}、流动党员情况")
        paper.add("text", f"组织关系所在党组织：{p.get('home_organization') or '未填写'}；原党组织联系人："
                          f"{p.get('home_contact') or '未填写'}；报到日期：{cn_date(p.get('reported_on'), '未填写')}；"
                          f"流动党员活动证号：{p.get('certificate_no') or '未填写'}。")
    paper.add("signature", reporter or "")
    return paper
