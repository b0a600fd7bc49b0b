"""The steps of the development record (发展党员全程纪实), declared once: stage, fields, order and the article.

Articles are those of 《中国共产党发展党员工作细则》(2014) and the party constitution; where a step rests on
local practice (公示 of at least 5 working days, quarterly 思想汇报) the citation says so.
"""

from __future__ import annotations

from dataclasses import dataclass

XIZE = "《中国共产党发展党员工作细则》"
ZHANGCHENG = "《中国共产党章程》"

# The five stages of the record, in order, and the category a person is in once the stage is entered.
STAGES: tuple[tuple[str, str], ...] = (
    ("申请入党", "入党申请人"),
    ("入党积极分子", "入党积极分子"),
    ("发展对象", "发展对象"),
    ("预备党员", "预备党员"),
    ("转正", "正式党员"),
)
STAGE_OF_CATEGORY = {category: stage for stage, category in STAGES}
STAGE_NAMES = tuple(stage for stage, _ in STAGES)

RECOMMENDATION = ("党员推荐", "群团推优")
# The vote of a 支部大会 (实到有表决权 and 赞成 are weighed against 应到有表决权).
VOTE_KEYS: tuple[tuple[str, str], ...] = (
    ("expected", "应到人数"), ("present", "实到人数"), ("voting_expected", "应到有表决权人数"),
    ("voting_present", "实到有表决权人数"), ("yes", "赞成"), ("no", "反对"), ("abstain", "弃权"),
)


@dataclass(frozen=True)
class StepField:
    """One field a step carries besides its date."""

    key: str
    label: str
    # date | persons (names or ID numbers of people on the roster) | person | int | number (hours) | text |
    # choice | votes
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """One step of the 细则 as the registry records it."""

    key: str
    label: str
    stage: str
    article: str
    fields: tuple[StepField, ...] = ()
    mandatory: bool = True
    repeated: bool = False  # 考察, 思想汇报: several dated entries
    after: tuple[str, ...] = ()  # steps whose date this one may not precede
    summary: str | None = None  # the people column this step's date is kept in
    enters: str | None = None  # the category the person is in from this step's date

    def field(self, key: str) -> StepField | None:
        return next((f for f in self.fields if f.key == key), None)


TALKER = StepField("talker", "谈话人", "persons")
VOTES = StepField("votes", "表决情况", "votes", required=True)
MEETING = StepField("meeting_id", "支部党员大会记录编号", "int")
END = StepField("end_on", "结束日期", "date", required=True)

STEPS: tuple[Step, ...] = (
    # 申请入党
    Step("application", "递交入党申请书", "申请入党", f"{XIZE}第五条、第六条", summary="applied_on",
         enters="入党申请人"),
    Step("application_talk", "党组织派人谈话", "申请入党", f"{XIZE}第七条", (TALKER,), after=("application",),
         summary="talked_on"),
    # 入党积极分子
    Step("activist_recommendation", "推荐入党积极分子人选", "入党积极分子", f"{XIZE}第八条",
         (StepField("method", "推荐方式", "choice", True, RECOMMENDATION),), after=("application",)),
    Step("activist_committee", "支委会研究确定为入党积极分子", "入党积极分子", f"{XIZE}第八条",
         after=("application", "activist_recommendation"), summary="activist_on", enters="入党积极分子"),
    Step("activist_filing", "报上级党委备案（入党积极分子）", "入党积极分子", f"{XIZE}第八条",
         after=("activist_committee",)),
    Step("contacts", "指定培养联系人", "入党积极分子", f"{XIZE}第九条",
         (StepField("persons", "培养联系人", "persons", True),), after=("activist_committee",), summary="contacts"),
    Step("activist_review", "培养考察（每半年一次）", "入党积极分子", f"{XIZE}第十一条",
         (StepField("conclusion", "考察意见", "text"),), repeated=True, after=("activist_committee",)),
    Step("thought_report", "思想汇报", "入党积极分子", f"{XIZE}第十一条及各地实施办法（每季度一次）",
         mandatory=False, repeated=True, after=("application",)),
    # 发展对象
    Step("target_committee", "支委会讨论同意列为发展对象", "发展对象", f"{XIZE}第十三条",
         after=("activist_committee",), summary="target_on", enters="发展对象"),
    Step("target_filing", "报上级党委备案（发展对象）", "发展对象", f"{XIZE}第十三条", after=("target_committee",)),
    Step("introducers", "确定入党介绍人", "发展对象", f"{XIZE}第十四条、{ZHANGCHENG}第五条",
         (StepField("persons", "入党介绍人", "persons", True),), after=("target_committee",), summary="introducers"),
    Step("political_review", "政治审查", "发展对象", f"{XIZE}第十六条",
         (StepField("conclusion", "政审结论", "text", True),), after=("target_committee",)),
    Step("training", "集中培训", "发展对象", f"{XIZE}第十七条",
         (END, StepField("hours", "学时", "number"), StepField("certificate", "结业证书编号", "text")),
         after=("target_committee",)),
    Step("target_publicity", "发展对象公示", "发展对象", "发展党员公示制度（各地实施办法，公示期不少于5个工作日）",
         (END,), after=("target_committee",)),
    Step("pre_review", "上级党委预审", "发展对象", f"{XIZE}第十九条",
         after=("political_review", "training", "target_publicity")),
    Step("application_form", "填写入党志愿书", "发展对象", f"{XIZE}第十九条",
         (StepField("number", "志愿书编号", "text", True),), after=("pre_review",)),
    # 预备党员
    Step("admission_meeting", "支部大会讨论接收为预备党员", "预备党员", f"{XIZE}第二十条、第二十一条", (VOTES, MEETING),
         after=("pre_review", "application_form"), summary="joined_on", enters="预备党员"),
    Step("committee_talk", "上级党委派人谈话", "预备党员", f"{XIZE}第二十四条、{ZHANGCHENG}第五条", (TALKER,),
         after=("admission_meeting",)),
    Step("admission_approval", "上级党委审批", "预备党员", f"{XIZE}第二十五条",
         after=("admission_meeting", "committee_talk")),
    Step("oath", "入党宣誓", "预备党员", f"{ZHANGCHENG}第六条", after=("admission_approval",)),
    # 转正
    Step("full_application", "提出书面转正申请", "转正", f"{XIZE}第三十三条", after=("admission_meeting",)),
    Step("full_publicity", "转正公示", "转正", "发展党员公示制度（各地实施办法，公示期不少于5个工作日）", (END,),
         after=("full_application",)),
    Step("full_meeting", "支部大会讨论转正", "转正", f"{XIZE}第三十三条", (VOTES, MEETING),
         after=("full_application", "full_publicity")),
    Step("full_approval", "上级党委审批转正", "转正", f"{XIZE}第三十三条", after=("full_meeting",)),
    Step("full_membership", "转为正式党员（转正时间）", "转正", f"{ZHANGCHENG}第七条", after=("admission_meeting",),
         summary="full_on", enters="正式党员"),
    Step("extension", "延长预备期", "转正", f"{ZHANGCHENG}第七条、{XIZE}第三十二条",
         (StepField("months", "延长月数", "int", True), VOTES, MEETING), mandatory=False,
         after=("admission_meeting",), summary="extension_months"),
    Step("cancellation", "取消预备党员资格", "转正", f"{ZHANGCHENG}第七条、{XIZE}第三十二条",
         (StepField("reason", "原因", "text", True), VOTES, MEETING), mandatory=False,
         after=("admission_meeting",), summary="cancelled_on"),
)
BY_KEY = {s.key: s for s in STEPS}
BY_LABEL = {s.label: s for s in STEPS}
# The step that enters each category (its date is the category's stage date).
ENTRY_STEP = {s.enters: s for s in STEPS if s.enters}
# Summary columns that hold a step's date (contacts, introducers and extension_months hold something else).
DATE_SUMMARY = {s.summary: s for s in STEPS if s.summary and s.summary.endswith("_on")}


def find_step(name: str) -> Step | None:
    """A step by its key or its Chinese label."""
    text = (name or "").strip()
    return BY_KEY.get(text) or BY_LABEL.get(text)


def steps_of(stage: str) -> tuple[Step, ...]:
    return tuple(s for s in STEPS if s.stage == stage)


def stage_index(stage: str) -> int:
    return STAGE_NAMES.index(stage)


# The key of the step entering each category.
ENTRY_KEY = {s.enters: s.key for s in STEPS if s.enters}
