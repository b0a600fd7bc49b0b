"""Per-person documents: the member registration form (党员信息登记表); the development record (发展党员纪实) is
built from the recorded steps in registry.reports.development_papers."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from registry.display import cn_date
from registry.errors import UserError
from registry.fields import PERSON_BY_KEY
from registry.reports.output import check_target, publish, reporting_unit
from registry.reports.styles import (
    CELL,
    CELL_CENTER,
    CELL_LABEL,
    LABEL_FILL,
    META,
    NOTE,
    PORTRAIT,
    ReportDocument,
    grid_style,
    layout_table,
    para,
    signature_block,
    title,
)
from registry.rules.categories import is_member
from registry.rules.idnumber import mask_id
from registry.rules.party_age import party_age_text
from registry.services.development_steps import party_age_of
from registry.services.people import get_person
from registry.storage.database import Registry

KINDS = {"form": "登记表", "record": "发展党员纪实"}
MARGINS = (20 * mm, 20 * mm, 20 * mm, 18 * mm)
WIDTH = PORTRAIT[0] - MARGINS[0] - MARGINS[1]
# The form's seven columns: label, value, label, value, label, value, photo.
FORM_WIDTHS = [WIDTH * w for w in (0.14, 0.16, 0.115, 0.165, 0.115, 0.14, 0.165)]
# Member-only items stay blank on the form of an applicant or activist rather than saying 正常 / 否.
MEMBER_ONLY = frozenset({"status", "lost_contact", "lost_since", "flowing", "joined_on", "full_on"})


def _value(person: dict[str, Any], key: str, show_id: bool) -> str:
    value = person.get(key)
    if value in (None, "") or (key in MEMBER_ONLY and not is_member(person["category"])):
        return ""
    kind = PERSON_BY_KEY[key].kind if key in PERSON_BY_KEY else "text"
    if key == "id_number":
        return str(value) if show_id else mask_id(str(value))
    if kind == "bool":
        return "是" if value else "否"
    if kind == "date":
        return cn_date(str(value))
    return str(value)


def _relation(person: dict[str, Any]) -> str | None:
    """在册 / 流入 / 流出 / 待核实 for a member; None for anyone else (the items stay blank)."""
    if not is_member(person["category"]):
        return None
    return person.get("relation") or ("流入" if person.get("flowing") else "在册")


def _flowing_cell(person: dict[str, Any]) -> str:
    """是否流动党员: 是 for both directions, 否 when held and living here, 待核实 when nobody knows yet."""
    return {"流入": "是", "流出": "是", "在册": "否", "待核实": "待核实"}.get(_relation(person) or "", "")


def _clip(text: str, limit: int = 600) -> str:
    """Free text cut to what one form cell can hold: a table row cannot continue onto another page."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def form_title(person: dict[str, Any]) -> str:
    if is_member(person["category"]):
        return "党员信息登记表"
    if person["category"] == "群众":
        return "人员信息登记表"
    return f"{person['category']}信息登记表"


def _development_summary(p: dict[str, Any]) -> str:
    steps = [(key, label) for key, label in (("applied_on", "递交入党申请书"), ("activist_on", "确定为入党积极分子"),
                                             ("target_on", "列为发展对象"), ("joined_on", "接收为预备党员"),
                                             ("full_on", "转为正式党员")) if p.get(key)]
    text = "；".join(f"{cn_date(p[key])}{label}" for key, label in steps)
    if p.get("introducers"):
        text += f"；入党介绍人：{p['introducers']}"
    return text


def form_story(p: dict[str, Any], show_id: bool, on: date, unit: str) -> list[Flowable]:
    """The one-page registration form: label cells shaded, values in bordered cells, space for a photo."""
    def v(key: str) -> Any:
        return para(_value(p, key, show_id), CELL)

    def lab(text: str) -> Any:
        return Paragraph(escape(text).replace("\n", "<br/>"), CELL_LABEL)

    # 是否流动党员 covers both directions: 流入 shows where the relationship is held, 流出 where she went.
    relation = _relation(p)
    where_label, where = ("外出流向", v("flow_destination")) if relation == "流出" else (
        "组织关系\n所在党组织", v("home_organization") if relation == "流入" else para("", CELL))
    rows: list[list[Any]] = [
        [lab("姓　名"), v("name"), lab("性　别"), v("gender"), lab("民　族"), v("ethnicity"), para("（照片）", CELL_CENTER)],
        [lab("出生日期"), v("birth_date"), lab("学　历"), v("education"), lab("籍　贯"), v("native_place"), ""],
        [lab("公民身份号码"), v("id_number"), "", "", lab("人员类别"), v("category"), ""],
        [lab("工作岗位"), v("job"), lab("联系电话"), v("phone"), "", "", ""],
        [lab("所在党组织"), para(p.get("organization") or "", CELL), "", "", "", "", ""],
        [lab("所在网点"), para(p.get("outlet") or "", CELL), "", lab("快递品牌"), para(p.get("brand") or "", CELL),
         lab("入职日期"), v("hired_on")],
        [lab("入党时间"), v("joined_on"), lab("转正时间"), v("full_on"), lab("党籍状态"), v("status"), ""],
        [lab("是否失联党员"), v("lost_contact"), lab("失去联系\n日期"), v("lost_since"), lab("党　龄"),
         para(p.get("party_age") or "", CELL), ""],
        [lab("是否流动党员"), para(_flowing_cell(p), CELL), lab(where_label), where, "", "", ""],
        [lab("活动证号"), v("certificate_no"), lab("报到日期"), v("reported_on"), lab("原党组织\n联系人"),
         v("home_contact"), ""],
        [lab("家庭住址"), v("address"), "", "", "", "", ""],
        [lab("户籍所在地"), v("household"), "", "", "", "", ""],
        [lab("志愿服务岗位"), v("volunteer_post"), "", "", "", "", ""],
        [lab("发展情况"), [para(_development_summary(p), CELL), Spacer(1, 24)], "", "", "", "", ""],
        [lab("备　注"), [para(_clip(_value(p, "notes", show_id)), CELL), Spacer(1, 36)], "", "", "", "", ""],
    ]
    spans = [((6, 0), (6, 3)), ((1, 2), (3, 2)), ((3, 3), (5, 3)), ((1, 4), (6, 4)), ((1, 5), (2, 5)),
             ((5, 6), (6, 6)), ((5, 7), (6, 7)), ((3, 8), (6, 8)), ((5, 9), (6, 9))]
    spans += [((1, r), (6, r)) for r in range(10, 15)]
    table = Table(rows, colWidths=FORM_WIDTHS, hAlign="CENTER")
    style = grid_style(header_rows=0, padding=4)
    style.add("LEFTPADDING", (0, 0), (-1, -1), 3)
    style.add("RIGHTPADDING", (0, 0), (-1, -1), 3)
    style.add("TOPPADDING", (0, 0), (-1, -1), 7)
    style.add("BOTTOMPADDING", (0, 0), (-1, -1), 7)
    for (c0, r0), (c1, r1) in spans:
        style.add("SPAN", (c0, r0), (c1, r1))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if getattr(cell, "style", None) is CELL_LABEL:
                style.add("BACKGROUND", (c, r), (c, r), LABEL_FILL)
    facts = layout_table([[para(f"填报单位：{unit}", META), para(f"填报日期：{cn_date(on)}", META)]],
                         [WIDTH * 0.65, WIDTH * 0.35])
    table.setStyle(style)
    note = "注：公民身份号码按个人信息保护要求打码打印。" if not show_id else "注：本表含完整公民身份号码，属敏感个人信息，请妥善保管。"
    return [title(form_title(p)), Spacer(1, 6), facts, Spacer(1, 4), table, para(note, NOTE), Spacer(1, 10),
            signature_block(WIDTH, reporter=p.get("reporter"))]


def form_person(reg: Registry, key: str | int, on: date | None = None) -> dict[str, Any]:
    """The person as the registration form prints them: 党龄 on the form's day, the secretary as 填报人."""
    person = get_person(reg, key)
    person["party_age"] = party_age_text(party_age_of(reg, person["id"], on))  # 停止党籍 taken off
    person["reporter"] = reg.setting("operator")
    return person


def build_person_pdf(person: dict[str, Any], out: Path, *, show_id: bool = False, unit: str = "",
                     on: date | None = None) -> int:
    """The registration form of one person (the 纪实 is built from the steps: registry.reports.development_papers)."""
    on = on or date.today()
    unit = unit or person.get("organization") or ""
    doc = ReportDocument(Path(out), pagesize=PORTRAIT, doc_title=f"{form_title(person)}（{person['name']}）", unit=unit,
                         margins=MARGINS)
    doc.render(form_story(person, show_id, on, unit))
    return doc.page


def write_person_report(reg: Registry, key: str, out: Path, *, kind: str = "form", show_id: bool = False,
                        on: date | None = None) -> dict[str, Any]:
    """One person's form or development record, recorded in the audit log."""
    if kind not in KINDS:
        raise UserError(f"文书类型“{kind}”不正确，应为form（登记表）或record（发展党员纪实）。")
    check_target(out)
    if kind == "record":
        from registry.reports.development_papers import write_paper

        written = write_paper(reg, key, "record", out, show_id=show_id, on=on)
        return {"name": written["name"], "pages": written["pages"]}
    person = form_person(reg, key, on)
    unit = person.get("organization") or reporting_unit(reg, None)
    pages = publish(reg, Path(out), "person.form", f"{form_title(person)}（{person['name']}）",
                    {"person": person["name"], "id_number": mask_id(person["id_number"]), "kind": kind,
                     "show_id": show_id},
                    lambda tmp: build_person_pdf(person, tmp, show_id=show_id, unit=unit, on=on))
    return {"name": person["name"], "pages": pages}
