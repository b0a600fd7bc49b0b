"""The papers of the development record printed from the recorded steps: 考察登记表, the 公示 for 发展对象 and
for 转正, the 政审 summary, the 支部大会 vote record and the 纪实 — each as a PDF or an editable workbook."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from registry import exports
from registry.display import cn_date
from registry.errors import UserError
from registry.reports.dev_text import names, vote_counts, vote_outcome
from registry.reports.development_record import RECORD_TITLE, record_paper, short_article
from registry.reports.output import reporting_unit
from registry.reports.paper import BLANK_DATE, Cell, Paper, header, label, render_pdf, value
from registry.reports.paper_xlsx import render_xlsx
from registry.rules.dev_steps import BY_KEY
from registry.rules.development_checks import working_days
from registry.rules.idnumber import mask_id
from registry.storage.database import Registry

LINE = "＿" * 10
SIGN = "签名：＿＿＿＿＿＿＿＿　　　＿＿＿＿年＿＿月＿＿日"
# Steps whose findings each paper repeats under its table, for the secretary to settle before filing it.
VOTE_STEPS = ("admission_meeting", "extension", "full_meeting", "cancellation")
VOTE_TOPICS = {"admission_meeting": "讨论接收{name}同志为中共预备党员", "full_meeting": "讨论{name}同志预备党员转为正式党员",
               "extension": "讨论延长{name}同志的预备期", "cancellation": "讨论取消{name}同志的预备党员资格"}


@dataclass
class Context:
    """What every paper is made from: the person as shown, the outline of the record and the step rows."""

    person: dict[str, Any]
    outline: dict[str, Any]
    rows: list[dict[str, Any]]
    transfers: list[dict[str, Any]]
    meetings: dict[int, dict[str, Any]]
    show_id: bool
    on: date
    unit: str
    reporter: str | None

    def show(self, key: str) -> str:
        v = self.person.get(key)
        if v in (None, ""):
            return ""
        if key == "id_number":
            return str(v) if self.show_id else mask_id(str(v))
        if key in ("birth_date", "joined_on", "full_on", "applied_on"):
            return cn_date(str(v))
        return str(v)

    def step(self, key: str) -> dict[str, Any]:
        return next(s for s in self.outline["steps"] if s["step"] == key)

    def entries(self, key: str) -> list[dict[str, Any]]:
        return list(self.step(key)["entries"])

    def day(self, key: str) -> str:
        found = self.entries(key)
        return cn_date(found[0]["on"]) if found and found[0]["on"] else ""

    def field(self, key: str, name: str) -> Any:
        found = self.entries(key)
        return (found[0]["fields"] or {}).get(name) if found else None

    def findings_of(self, keys: tuple[str, ...]) -> list[str]:
        return [f"{f['message']}（{short_article(f['article'])}）" for k in keys for f in self.step(k)["findings"]
                if f["rule"] != "not_recorded"]

    @property
    def branch(self) -> str:
        org = self.person.get("organization") or self.unit
        return org if org.startswith("中共") else f"中共{org}"


def _facts(c: Context) -> list[list[Cell]]:
    return [
        [label("姓　名"), value(c.show("name")), label("性　别"), value(c.show("gender")), label("民　族"),
         value(c.show("ethnicity"))],
        [label("出生日期"), value(c.show("birth_date")), label("学　历"), value(c.show("education")), label("籍　贯"),
         value(c.show("native_place"))],
        [label("公民身份号码"), value(c.show("id_number"), span=3), label("人员类别"), value(c.show("category"))],
        [label("所在党支部"), value(c.person.get("organization") or "", span=3), label("工作岗位"),
         value(c.show("job"))],
    ]


FACT_WIDTHS = [0.15, 0.2, 0.13, 0.2, 0.12, 0.2]


def _reminders(paper: Paper, c: Context, keys: tuple[str, ...]) -> None:
    found = c.findings_of(keys)
    if found:
        paper.add("space", "6")
        paper.add("text", "台账核查提醒（存档前请处理）：" + "；".join(f"{i}. {t}" for i, t in enumerate(found, 1)),
                  style="plain")


def _opinion(text: str, lines: int = 4) -> list[Cell]:
    return [label(text), value(f"\n\n{SIGN}", span=5, lines=lines)]


# -- 考察登记表 -----------------------------------------------------------------------------------------------


def review_paper(c: Context) -> Paper:
    """入党积极分子、发展对象培养教育考察登记表 (summary): the stages, the people and every 考察 entry."""
    p = c.person
    paper = Paper(f"入党积极分子、发展对象培养教育考察登记表（{p['name']}）", c.unit)
    paper.add("title", "入党积极分子、发展对象培养教育考察登记表")
    paper.add("meta", f"党支部：{p.get('organization') or ''}", right=f"填表日期：{cn_date(c.on)}")
    paper.table(_facts(c), FACT_WIDTHS)
    contacts = names(c.field("contacts", "persons")) or p.get("contacts") or ""
    introducers = names(c.field("introducers", "persons")) or p.get("introducers") or ""
    paper.add("heading", "一、培养经过")
    paper.table([
        [label("递交入党申请书"), value(c.day("application")), label("党组织谈话"), value(c.day("application_talk")),
         label("谈话人"), value(names(c.field("application_talk", "talker")))],
        [label("推荐方式"), value(c.field("activist_recommendation", "method") or ""), label("确定为\n入党积极分子"),
         value(c.day("activist_committee")), label("报上级备案"), value(c.day("activist_filing"))],
        [label("培养联系人"), value(contacts, span=5)],
        [label("列为发展对象"), value(c.day("target_committee")), label("报上级备案"), value(c.day("target_filing")),
         label("入党介绍人"), value(introducers)],
    ], FACT_WIDTHS)
    paper.add("heading", "二、培养考察情况（每半年一次）")
    reviews = c.entries("activist_review")
    rows: list[list[Cell]] = [[header(h) for h in ("序号", "考察时间", "考察意见", "考察人签名")]]
    rows += [[value(i, center=True), value(cn_date(e["on"]), center=True),
              value((e["fields"] or {}).get("conclusion") or "", lines=2), value("")] for i, e in enumerate(reviews, 1)]
    rows += [[value(len(reviews) + i, center=True), value(""), value("", lines=3), value("")] for i in (1, 2)]
    paper.table(rows, [0.08, 0.2, 0.52, 0.2], header_rows=1)
    reports = c.entries("thought_report")
    paper.add("heading", "三、思想汇报")
    paper.add("text", (f"共{len(reports)}次：" + "、".join(cn_date(e["on"]) for e in reports) + "。") if reports
              else "台账中没有思想汇报的记录。", style="plain")
    paper.add("heading", "四、培养联系人和党支部意见")
    paper.table([_opinion("培养联系人\n意见"), _opinion("党支部意见")], FACT_WIDTHS)
    _reminders(paper, c, ("application_talk", "contacts", "activist_review", "thought_report", "target_committee",
                          "introducers"))
    return paper


# -- 公示 ---------------------------------------------------------------------------------------------------


def _who(c: Context) -> str:
    p = c.person
    born = str(p.get("birth_date") or "")
    parts = [p["name"], p.get("gender") or "", p.get("ethnicity") or "",
             f"{int(born[:4])}年{int(born[5:7])}月生" if len(born) >= 7 else "",
             f"{p['education']}学历" if p.get("education") else "",
             "现为" + "".join(x for x in (p.get("outlet"), p.get("job")) if x) if p.get("outlet") or p.get("job") else ""]
    return "，".join(x for x in parts if x)


def _publicity(c: Context, key: str) -> str:
    found = c.entries(key)
    if not found:
        return f"公示时间：{BLANK_DATE}至{BLANK_DATE}（不少于5个工作日）。"
    start, end = found[0]["on"], (found[0]["fields"] or {}).get("end_on")
    if not end:
        return f"公示时间：{cn_date(start)}至{BLANK_DATE}（不少于5个工作日）。"
    n = working_days(date.fromisoformat(start), date.fromisoformat(end)) if len(start) == 10 == len(end) else None
    return f"公示时间：{cn_date(start)}至{cn_date(end)}" + (f"（{n}个工作日）。" if n is not None else "。")


def _notice(c: Context, what: str, facts: str, key: str) -> Paper:
    name = c.person["name"]
    paper = Paper(f"{what}公示（{name}）", c.unit)
    heading = "关于拟将{n}同志列为发展对象的公示" if key == "target_publicity" else "关于{n}同志拟转为中共正式党员的公示"
    paper.add("title", heading.format(n=name), style="notice")
    paper.add("space", "10")
    target = "列为发展对象" if key == "target_publicity" else "转为中共正式党员"
    paper.add("text", f"经党支部研究，拟将{name}同志{target}，现予公示。", style="notice")
    paper.add("text", f"{_who(c)}。{facts}", style="notice")
    paper.add("text", _publicity(c, key), style="notice")
    paper.add("text", "公示期间，党员和群众可通过来电、来信、来访等方式向党支部或上级党组织反映情况。反映问题应实事求是，"
                      "以真实姓名反映；党组织将对反映的问题认真调查核实，并为反映人保密。", style="notice")
    paper.add("text", f"联系人：{LINE}　　联系电话：{LINE}", style="notice")
    paper.add("space", "24")
    paper.add("text", c.branch, style="notice_right")
    found = c.entries(key)
    paper.add("text", cn_date(found[0]["on"]) if found else BLANK_DATE, style="notice_right")
    return paper


def target_notice(c: Context) -> Paper:
    p = c.person
    if p["category"] in ("群众", "入党申请人") and not p.get("target_on"):
        raise UserError(f"{p['name']}是{p['category']}，尚未确定为入党积极分子，不能打印发展对象公示。")
    facts = []
    if c.day("application") or p.get("applied_on"):
        facts.append(f"{c.day('application') or cn_date(p.get('applied_on'))}递交入党申请书")
    if c.day("activist_committee"):
        facts.append(f"{c.day('activist_committee')}被确定为入党积极分子")
    contacts = names(c.field("contacts", "persons")) or p.get("contacts")
    text = "，".join(facts) + (f"，培养联系人为{contacts}" if contacts else "")
    return _notice(c, "发展对象", f"{text}。" if text else "", "target_publicity")


def full_notice(c: Context) -> Paper:
    p = c.person
    if not p.get("joined_on"):
        raise UserError(f"{p['name']}是{p['category']}，还没有入党时间，不能打印转正公示。")
    from registry.rules.deadlines import probation_end
    from registry.rules.development_checks import _date

    joined = _date(p["joined_on"])
    months = p.get("extension_months") or None
    end = cn_date(str(probation_end(joined, months))) if joined else ""
    introducers = names(c.field("introducers", "persons")) or p.get("introducers")
    text = (f"{cn_date(p['joined_on'])}经支部党员大会讨论接收为中共预备党员"
            + (f"，入党介绍人为{introducers}" if introducers else "")
            + (f"，预备期一年，经延长{months}个月" if months else "，预备期一年") + (f"，至{end}预备期满。" if end else "。"))
    if c.day("full_application"):
        text += f"{c.day('full_application')}本人提出书面转正申请。"
    return _notice(c, "转正", text, "full_publicity")


# -- 政审 ---------------------------------------------------------------------------------------------------


def political_paper(c: Context) -> Paper:
    """发展对象政治审查综合情况表: the 政审 as recorded, with the parts a secretary writes by hand."""
    p = c.person
    paper = Paper(f"发展对象政治审查综合情况表（{p['name']}）", c.unit)
    paper.add("title", "发展对象政治审查综合情况表")
    paper.add("meta", f"党支部：{p.get('organization') or ''}", right=f"填表日期：{cn_date(c.on)}")
    paper.table(_facts(c), FACT_WIDTHS)
    conclusion = c.field("political_review", "conclusion") or ""
    paper.add("space", "6")
    paper.table([
        [label("列为发展对象"), value(c.day("target_committee")), label("政审时间"), value(c.day("political_review")),
         label("入党介绍人"), value(names(c.field("introducers", "persons")) or p.get("introducers") or "")],
        [label("审查方式"), value("□ 同本人谈话　□ 查阅有关档案材料　□ 找有关单位和人员了解情况　□ 函调或外调", span=5)],
        [label("本人政治立场\n和现实表现"), value("", span=5, lines=4)],
        [label("直系亲属和主要\n社会关系政治情况"), value("", span=5, lines=4)],
        [label("政审结论"), value(conclusion or "（台账中尚未登记政审结论）", span=5, lines=3)],
        _opinion("党支部意见"),
        _opinion("上级党委组织\n部门审查意见"),
    ], FACT_WIDTHS)
    paper.add("note", f"依据：{BY_KEY['political_review'].article}。政治审查未经或政审结论不清楚的，不能发展入党。")
    _reminders(paper, c, ("political_review",))
    return paper


# -- 支部大会表决记录 --------------------------------------------------------------------------------------------


def _vote_block(paper: Paper, c: Context, key: str, entry: Mapping[str, Any] | None, number: int) -> None:
    name = c.person["name"]
    topic = VOTE_TOPICS[key].format(name=name)
    row = next((r for r in c.rows if entry and r["id"] == entry.get("id")), None)
    meeting = c.meetings.get(int(row["meeting_id"])) if row and row.get("meeting_id") else None
    votes = (entry or {}).get("fields", {}).get("votes") if entry else None
    v = vote_counts(votes)
    ok, outcome = vote_outcome(votes)

    def n(k: str) -> Cell:
        return value("" if v[k] is None else v[k], center=True, lines=1 if v[k] is not None else 2)

    def yes_no(flag: bool | None) -> str:
        return "" if flag is None else "是" if flag else "否"

    quorum = None if v["voting_expected"] is None or v["voting_present"] is None else \
        v["voting_present"] * 2 > v["voting_expected"]
    carried = None if v["voting_expected"] is None or v["yes"] is None else v["yes"] * 2 > v["voting_expected"]
    paper.add("heading", f"（{'一二三四五'[number - 1]}）{topic}")
    fields = (entry or {}).get("fields") or {}
    extra = "；".join(x for x in (f"延长预备期{fields['months']}个月" if fields.get("months") else "",
                                  f"原因：{fields['reason']}" if fields.get("reason") else "",
                                  f"记录的原因：{entry['override_reason']}" if entry and entry.get("override_reason")
                                  else "") if x)
    rows: list[list[Cell]] = [
        [label("会议时间"), value(cn_date(entry["on"]) if entry else BLANK_DATE, span=2), label("会议地点"),
         value((meeting or {}).get("location") or "", span=3)],
        [label("主持人"), value("", span=2), label("记录人"), value("", span=3)],
        [label("讨论事项"), value(topic + (f"（{extra}）" if extra else ""), span=6)],
        [header(h) for h in ("应到人数", "实到人数", "应到有表决权", "实到有表决权", "赞成", "反对", "弃权")],
        [n("expected"), n("present"), n("voting_expected"), n("voting_present"), n("yes"), n("no"), n("abstain")],
        [label("实到有表决权\n是否过半", span=2), value(yes_no(quorum), center=True), label("赞成票是否超过应到\n有表决权人数半数",
                                                                                        span=3),
         value(yes_no(carried), center=True)],
        [label("表决结果"), value(("通过" if ok else "未通过") + "。" + outcome if ok is not None else
                                  "（台账中尚未登记表决情况，请按会议记录填写。）", span=6, lines=2)],
        [label("支部书记"), value(f"\n{SIGN}", span=6, lines=2)],
    ]
    paper.table(rows, [0.14, 0.13, 0.13, 0.15, 0.15, 0.15, 0.15])


def vote_paper(c: Context) -> Paper:
    """支部党员大会表决情况记录: each recorded 支部大会 of the record with its vote and whether it carried; a blank
    record of the next one when none is recorded yet."""
    p = c.person
    paper = Paper(f"支部党员大会表决情况记录（{p['name']}）", c.unit)
    paper.add("title", "支部党员大会表决情况记录")
    paper.add("meta", f"党支部：{p.get('organization') or ''}", right=f"填表日期：{cn_date(c.on)}")
    recorded = [(k, e) for k in VOTE_STEPS for e in c.entries(k) if e.get("recorded")]
    recorded.sort(key=lambda ke: ke[1]["on"] or "")
    if not recorded:
        key = "full_meeting" if p["category"] in ("预备党员", "正式党员") else "admission_meeting"
        paper.add("text", "台账中尚未登记支部党员大会的表决情况，以下按会议记录手工填写。", style="plain")
        _vote_block(paper, c, key, None, 1)
    for i, (key, entry) in enumerate(recorded[:5], 1):
        _vote_block(paper, c, key, entry, i)
    paper.add("note", "依据：《中国共产党发展党员工作细则》第二十条、第二十一条：有表决权的到会人数必须超过应到会有表决权人数的半数，"
                      "赞成人数超过应到会有表决权的正式党员的半数，才能通过。")
    _reminders(paper, c, VOTE_STEPS)
    return paper


# -- the kinds and writing them --------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperKind:
    key: str
    label: str
    build: Callable[[Context], Paper]


def _record(c: Context) -> Paper:
    return record_paper(c.person, c.outline, c.transfers, c.show, c.on, c.unit, c.reporter)


PAPERS: dict[str, PaperKind] = {k.key: k for k in (
    PaperKind("record", "发展党员纪实", _record),
    PaperKind("review", "考察登记表", review_paper),
    PaperKind("target-notice", "发展对象公示", target_notice),
    PaperKind("full-notice", "转正公示", full_notice),
    PaperKind("political-review", "政审综合情况表", political_paper),
    PaperKind("vote", "支部大会表决记录", vote_paper),
)}
FORMATS = (".pdf", ".xlsx")


def context(reg: Registry, key: str | int, *, show_id: bool = False, on: date | None = None) -> Context:
    from registry.services.development_steps import record_outline, step_rows
    from registry.services.flowing import list_transfers
    from registry.services.people import get_person

    person = get_person(reg, key)
    rows = step_rows(reg, person["id"])
    ids = {int(r["meeting_id"]) for r in rows if r.get("meeting_id")}
    meetings = {int(m["id"]): m for m in reg.query(
        f"SELECT * FROM meetings WHERE id IN ({','.join('?' * len(ids))})", tuple(ids))} if ids else {}
    on = on or date.today()
    return Context(person, record_outline(reg, person["id"], on), rows, list_transfers(reg, person["id"]), meetings,
                   show_id, on, person.get("organization") or reporting_unit(reg, None), reg.setting("operator"))


def build_paper(reg: Registry, key: str | int, kind: str, *, show_id: bool = False,
                on: date | None = None) -> tuple[Paper, Context]:
    if kind not in PAPERS:
        raise UserError(f"文书类型“{kind}”不正确，应为：{'、'.join(f'{k}（{v.label}）' for k, v in PAPERS.items())}。")
    ctx = context(reg, key, show_id=show_id, on=on)
    return PAPERS[kind].build(ctx), ctx


def render(paper: Paper, out: Path, fmt: str = ".pdf") -> int:
    """The paper as a PDF or (fmt .xlsx) a workbook; returns the PDF's pages (a workbook counts as one)."""
    if fmt == ".xlsx":
        render_xlsx(paper, out)
        return 1
    return render_pdf(paper, out)


def write_paper(reg: Registry, key: str | int, kind: str, out: Path, *, show_id: bool = False,
                on: date | None = None) -> dict[str, Any]:
    """One development paper for one person saved at `out` (.pdf or .xlsx), recorded in the audit log.

    Returns the person's name, the pages, the format and the record's errors (the CLI repeats them: a notice
    printed for a flawed record should not go up on the board unnoticed)."""
    out = exports.check_target(Path(out), FORMATS, "文书", f"{RECORD_TITLE}.pdf")
    paper, ctx = build_paper(reg, key, kind, show_id=show_id, on=on)
    suffix = out.suffix.lower()
    pages = exports.publish(reg, out, action=f"report.person.{kind}", summary=f"生成{paper.name} {out.name}",
                            write=lambda tmp: render(paper, tmp, suffix),
                            detail={"format": suffix[1:], "report": f"person.{kind}", "kind": kind,
                                    "person": ctx.person["name"], "id_number": mask_id(ctx.person["id_number"]),
                                    "show_id": show_id})
    errors = [f"{f['message']}（{short_article(f['article'])}）" for s in ctx.outline["steps"] for f in s["findings"]
              if f["level"] == "error"]
    return {"name": ctx.person["name"], "pages": pages, "format": suffix[1:], "errors": errors}
