"""One census row to clean person values plus its problems; where a member's relationship is held."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from registry.importing.layout import RawRecord, SheetLayout
from registry.importing.readers import SheetData
from registry.names import BRAND_ALIASES, norm_name
from registry.rules.categories import is_member
from registry.rules.deadlines import probation_running
from registry.rules.membership import normalise_relation
from registry.validation import Problem, clean_person, derive_from_id

# A relationship held "elsewhere" is usually written with the province first (四川省南充市…村党支部).
PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "四川", "贵州", "云南", "西藏", "陕西", "甘肃",
    "青海", "宁夏", "新疆", "台湾", "香港", "澳门",
)
_PROVINCE_START = re.compile("^(" + "|".join(PROVINCES) + ")")
# Words that say "the relationship is right here" rather than naming an organisation.
# Words in a category cell or a sheet title saying the flowing members went away from here (流出).
_OUTWARD_WORDS = ("外出", "流出")
_HERE_WORDS = frozenset({"本单位", "本支部", "本公司", "本党支部", "本网点", "在本单位", "本地"})


@dataclass(slots=True)
class PersonRecord:
    """A census row after cleaning: values to store, the problems found, where it came from."""

    file: str
    sheet: str
    row: int
    values: dict[str, Any]
    problems: list[Problem]
    raw: RawRecord
    labels: dict[str, str] = field(default_factory=dict)  # field -> header text
    # The stage rules' findings on the row alone, when already computed while reading (None: not yet).
    rules: list[Problem] | None = None
    # The step columns (registry.importing.steps) taken off the values, and the steps the plan writes (StepWrite);
    # none for most rows, so nothing is allocated for them.
    steps: dict[str, Any] | None = None
    writes: Sequence[Any] = ()

    @property
    def rejected(self) -> bool:
        return any(p.level == "error" for p in self.problems)


def sheet_defaults(sheet: SheetData, layout: SheetLayout) -> dict[str, Any]:
    """What a sheet says about all its rows: a brand in its name (顺丰速运), or that it lists flowing members."""
    defaults: dict[str, Any] = {}
    mapped = set(layout.columns.values())
    title = " ".join(str(c) for row in sheet.rows[:max(0, layout.header_row - sheet.first_row - layout.header_rows + 1)]
                     for c in row if isinstance(c, str))
    if "brand" not in mapped:
        name = sheet.name.lower()
        brands = [key for key, aliases in BRAND_ALIASES.items() if any(a in name for a in (key, *aliases) if len(a) >= 2)]
        if len(brands) == 1:  # a sheet per company: 顺丰速运, 中通快递城南片区 …
            defaults["brand"] = sheet.name.strip()
    words = f"{sheet.name} {title}"
    if "flowing" not in mapped and "relation" not in mapped and "流动党员" in words and "非流动" not in words:
        # A list of flowing members is one of those reporting here (流入), unless it says they went away.
        if any(w in words for w in _OUTWARD_WORDS):
            defaults["relation"] = "流出"
        else:
            defaults["flowing"] = True
    if "category" not in mapped:
        words = f"{sheet.name} {title}"
        defaults["_category"] = "members" if "党员" in words and not any(
            w in words for w in ("积极分子", "入党申请", "发展对象", "群众")) else "dates"
    return defaults


def _infer_category(values: dict[str, Any], members_sheet: bool, today: date) -> str | None:
    """No category column: 转正时间 means 正式党员; 入党时间 within the last year 预备党员, earlier 正式党员;
    on a sheet titled as a party-member list (党员名册) everyone else is a 正式党员 too."""
    if values.get("full_on"):
        return "正式党员"
    joined = values.get("joined_on")
    if joined:
        return "预备党员" if probation_running(str(joined), today) else "正式党员"
    return "正式党员" if members_sheet else None


_ADMIN_PREFIX = re.compile(
    "^(?:" + "|".join(PROVINCES) + ")(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)?"
    r".{1,8}?(?:市|州|盟|地区|区|县)")
LOCAL_MARK = "\x00"  # known-organisation entries that are place prefixes, not names
# Keys a record carries for the planner only (never stored): a relation for a new person only; a bare 是.
RELATION_IF_NEW = "_relation_if_new"
DIRECTION_UNKNOWN = "_direction_unknown"


def admin_prefix(name: str) -> str | None:
    """The province and city (or district) an organisation's name starts with: 四川省南充市, 上海市奉贤区."""
    found = _ADMIN_PREFIX.match(norm_name(name))
    return found.group(0) if found else None


def local_places(names: list[str]) -> set[str]:
    """Place prefixes of our own organisations and unit, marked for relationship_is_local."""
    return {LOCAL_MARK + p for n in names if (p := admin_prefix(n))}


def relationship_is_local(home: str, known_orgs: set[str]) -> bool:
    """Whether an organisation named in 组织关系所在地 is one of ours (在册) or a hometown one (流动).

    Ours: a known organisation, a word like 本单位, a name with no province in front (锦江区…党支部), or a
    name starting with the same province and city as our own organisations or unit (上海市奉贤区…).
    """
    key = norm_name(home)
    if key in known_orgs or home in _HERE_WORDS:
        return True
    if not _PROVINCE_START.match(key):
        return True
    prefix = admin_prefix(key)
    return prefix is not None and LOCAL_MARK + prefix in known_orgs


def header_labels(layout: SheetLayout) -> dict[str, str]:
    """Field -> header text, shared by every record of the sheet."""
    return {key: layout.labels.get(col, key) for col, key in layout.columns.items()}


def to_person(raw: RawRecord, layout: SheetLayout, file: str, blank_formulas: set[tuple[int, int]],
              known_orgs: set[str], first_col: int = 1, labels: dict[str, str] | None = None,
              defaults: dict[str, Any] | None = None,
              cleaned: tuple[dict[str, Any], list[Problem]] | None = None) -> PersonRecord:
    """One row to a record; `cleaned` is clean_person's answer for raw.values when already computed by column."""
    labels = labels if labels is not None else header_labels(layout)
    values_in = dict(raw.values)
    problems: list[Problem] = []
    if blank_formulas:
        for col, key in layout.columns.items():
            if (raw.row, col + first_col) in blank_formulas:
                values_in.pop(key, None)
                cleaned = None  # the values cleaned are not these any more
                problems.append(Problem(key, "warning", "formula_no_value",
                                        f"“{labels[key]}”是公式但没有计算结果，未导入该项；请在Excel中重新计算并保存后再导入。"))
    outward = _outward_category(values_in)
    if cleaned is not None and not outward:
        values, found = cleaned
    else:
        values, found = clean_person(values_in, lenient_phone=True)
    if outward and values.get("relation") is None and is_member(values.get("category")):
        values["relation"] = "流出"
    if values.get("relation") is None and normalise_relation(values_in.get("flowing")) == "待核实":
        values["relation"] = "待核实"  # 是否流动党员 written as 待核实 (as the roster exports it): not known yet
    problems.extend(found)
    derive_from_id(values, problems, id_wins=True)
    if defaults:
        if "_category" in defaults and values.get("category") is None:
            values["category"] = _infer_category(values, defaults["_category"] == "members", date.today())
        for key, value in defaults.items():
            if key.startswith("_"):
                continue
            if values.get(key) is None and (key not in ("flowing", "relation") or is_member(values.get("category"))):
                values[key] = value
    if not values.get("name"):
        problems.append(Problem("name", "error", "name_missing", "没有填写姓名，请补录。"))
    if "id_number" not in values and not any(p.field == "id_number" for p in problems):
        problems.append(Problem("id_number", "error", "id_missing", "没有填写身份证号，请补录。"))
    _settle_relationship(values, known_orgs, problems)
    record = PersonRecord(file, layout.sheet, raw.row, values, problems, raw, labels)
    if not record.rejected:
        raw.values = {}  # only a rejected row's raw values are needed later; free the rest
    return record


def _outward_category(values: dict[str, Any]) -> bool:
    """外出流动党员 written in the category column: held here, working elsewhere (流出), not 流入.

    The words are taken off the cell, which then reads as a category (流动党员 → 正式党员)."""
    text = values.get("category")
    if not isinstance(text, str) or not any(w in text for w in _OUTWARD_WORDS):
        return False
    for word in _OUTWARD_WORDS:
        text = text.replace(word, "")
    values["category"] = text
    return True


def _settle_relationship(values: dict[str, Any], known_orgs: set[str], problems: list[Problem]) -> None:
    """Decide 在册, 流入 or 流出 from what the row says, keeping flowing = (relation == 流入).

    The official items 是否流动党员=是 with 外出流向 name a member held here who works elsewhere (流出); 是 with an
    organisation elsewhere is 流入. When nothing in the row establishes the relationship it stays unset: a new
    member then becomes 待核实 (the planner decides, since only it knows who is new), an existing one keeps hers.
    """
    category = values.get("category")
    if category is not None and not is_member(category):
        # Only members have a relationship to place; what else was written (外出流向…) is kept as written.
        values.pop("relation", None)
        values.pop("flowing", None)
        return
    relation = values.get("relation")
    flowing = values.get("flowing")
    destination = values.get("flow_destination")
    if relation is None and destination:
        if flowing is False:
            problems.append(Problem("flow_destination", "warning", "destination_not_flowing",
                                    f"“是否流动党员”为“否”却填写了外出流向“{destination}”，外出流向未导入；"
                                    "如该党员确已外出，请把“是否流动党员”改为“是”后重新导入。"))
            values["flow_destination"] = None
        else:
            relation = "流出"
    bare_yes = False  # 是否流动党员=是 and nothing saying which way
    if relation is None and flowing is not None:
        home = values.get("home_organization")
        if flowing and home and (norm_name(home) in known_orgs or home in _HERE_WORDS):
            # Flowing, and held by one of our own organisations (by name, not by a place guess): she works
            # elsewhere. A name merely without a province could be a hometown branch written short.
            relation = "流出"
        else:
            relation = "流入" if flowing else "在册"
            bare_yes = bool(flowing) and not home
    if relation is None:
        relation = _placed_by_organisations(values, known_orgs)
    elif relation == "在册":
        home = values.get("home_organization")
        if home and not values.get("organization"):
            values["organization"] = home  # relationship held here: the named organisation is ours
            values["home_organization"] = None
    elif relation == "流出":
        relation = _held_here(values, known_orgs, problems)
    elif relation == "流入":
        org = values.get("organization")
        if not values.get("home_organization") and org and not relationship_is_local(org, known_orgs):
            values["home_organization"], values["organization"] = org, None  # a hometown branch in 所在党支部
        elif bare_yes:
            values[DIRECTION_UNKNOWN] = True  # read as 流入 for a new person; a stored 流出 stays 流出
    if relation is None:
        values.pop("relation", None)
        values.pop("flowing", None)
        return
    values["relation"] = relation
    values["flowing"] = relation == "流入"


def _held_here(values: dict[str, Any], known_orgs: set[str], problems: list[Problem]) -> str:
    """A member working elsewhere (流出) is held by one of our organisations; one held elsewhere too is 待核实."""
    home = values.get("home_organization")
    if not home:
        return "流出"
    if relationship_is_local(home, known_orgs):
        if not values.get("organization") and home not in _HERE_WORDS:
            values["organization"] = home
        values["home_organization"] = None
        return "流出"
    problems.append(Problem("home_organization", "warning", "relation_conflict",
                            f"填写了外出流向，组织关系所在党组织却是外地的“{home}”，无法判断是流出还是流入，"
                            "已登记为“待核实”；请核实组织关系后在人员信息中更正。"))
    return "待核实"


def _placed_by_organisations(values: dict[str, Any], known_orgs: set[str]) -> str | None:
    """A member's relationship from the organisations the row names, when it says nothing about flowing."""
    if not is_member(values.get("category")):
        return None  # non-members have no relationship yet; what was written stays as a note-like field
    home = values.get("home_organization")
    org = values.get("organization")
    if not home:
        if org and not relationship_is_local(org, known_orgs):
            # 所在党支部 naming a hometown branch (四川省…村党支部): the relationship is held there.
            values["home_organization"], values["organization"] = org, None
            return "流入"
        if org:
            # Where she takes part here, which a flowing-in member has too: enough for a new person (在册),
            # not enough to change an existing one's relationship.
            values[RELATION_IF_NEW] = "在册"
        return None
    if relationship_is_local(home, known_orgs):
        if not values.get("organization") and home not in _HERE_WORDS:
            values["organization"] = home
        values["home_organization"] = None
        return "在册"
    return "流入"
