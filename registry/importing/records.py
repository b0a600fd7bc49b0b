"""One census row to clean person values plus its problems; where a member's relationship is held."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from registry.importing.layout import RawRecord, SheetLayout
from registry.importing.readers import SheetData
from registry.names import BRAND_ALIASES, norm_name
from registry.rules.categories import is_member
from registry.validation import Problem, clean_person, derive_from_id

# A relationship held "elsewhere" is usually written with the province first (四川省南充市…村党支部).
PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "四川", "贵州", "云南", "西藏", "陕西", "甘肃",
    "青海", "宁夏", "新疆", "台湾", "香港", "澳门",
)
_PROVINCE_START = re.compile("^(" + "|".join(PROVINCES) + ")")
# Words that say "the relationship is right here" rather than naming an organisation.
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
    if "flowing" not in mapped and "流动党员" in f"{sheet.name} {title}" and "非流动" not in f"{sheet.name} {title}":
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
        return "预备党员" if str(joined)[:7] > f"{today.year - 1:04d}-{today.month:02d}" else "正式党员"
    return "正式党员" if members_sheet else None


_ADMIN_PREFIX = re.compile(
    "^(?:" + "|".join(PROVINCES) + ")(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)?"
    r".{1,8}?(?:市|州|盟|地区|区|县)")
LOCAL_MARK = "\x00"  # known-organisation entries that are place prefixes, not names


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
              defaults: dict[str, Any] | None = None) -> PersonRecord:
    labels = labels if labels is not None else header_labels(layout)
    values_in = dict(raw.values)
    problems: list[Problem] = []
    if blank_formulas:
        for col, key in layout.columns.items():
            if (raw.row, col + first_col) in blank_formulas:
                values_in.pop(key, None)
                problems.append(Problem(key, "warning", "formula_no_value",
                                        f"“{labels[key]}”是公式但没有计算结果，未导入该项；请在Excel中重新计算并保存后再导入。"))
    values, found = clean_person(values_in, lenient_phone=True)
    problems.extend(found)
    derive_from_id(values, problems, id_wins=True)
    if defaults:
        if "_category" in defaults and values.get("category") is None:
            values["category"] = _infer_category(values, defaults["_category"] == "members", date.today())
        for key, value in defaults.items():
            if key.startswith("_"):
                continue
            if values.get(key) is None and (key != "flowing" or is_member(values.get("category"))):
                values[key] = value
    if not values.get("name"):
        problems.append(Problem("name", "error", "name_missing", "没有填写姓名，请补录。"))
    if "id_number" not in values and not any(p.field == "id_number" for p in problems):
        problems.append(Problem("id_number", "error", "id_missing", "没有填写身份证号，请补录。"))
    _settle_relationship(values, known_orgs)
    record = PersonRecord(file, layout.sheet, raw.row, values, problems, raw, labels)
    if not record.rejected:
        raw.values = {}  # only a rejected row's raw values are needed later; free the rest
    return record


def _settle_relationship(values: dict[str, Any], known_orgs: set[str]) -> None:
    """Decide 在册 or 流动 for a member when the sheet does not say so outright."""
    home = values.get("home_organization")
    if values.get("flowing") is not None:
        if values["flowing"] is False and home and not values.get("organization"):
            values["organization"] = home  # relationship held here: the named organisation is ours
            values["home_organization"] = None
        return
    org = values.get("organization")
    if not home and org and is_member(values.get("category")) and not relationship_is_local(org, known_orgs):
        # 所在党支部 naming a hometown branch (四川省…村党支部): the relationship is held there.
        values["home_organization"], values["organization"], values["flowing"] = org, None, True
        return
    if not home:
        return
    if not is_member(values.get("category")):
        # Non-members have no relationship yet; keep what was written as a note-like field only.
        return
    if relationship_is_local(home, known_orgs):
        values["flowing"] = False
        if not values.get("organization") and home not in _HERE_WORDS:
            values["organization"] = home
        values["home_organization"] = None
    else:
        values["flowing"] = True
