"""The person and outlet columns, declared once: storage name, Chinese label, kind and header synonyms."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One column of the registry as a user sees it."""

    key: str
    label: str
    kind: str = "text"  # text | date | id | phone | category | gender | bool | int | ref
    synonyms: tuple[str, ...] = ()


# Person fields in the order of the official member record, then the development pipeline.
PERSON_FIELDS: tuple[Field, ...] = (
    Field("name", "姓名", "text", ("姓名", "名字", "党员姓名", "人员姓名", "小哥姓名", "快递员姓名", "姓名(必填)")),
    Field("gender", "性别", "gender", ("性别",)),
    Field("ethnicity", "民族", "text", ("民族",)),
    Field("id_number", "公民身份号码", "id", (
        "公民身份号码", "身份证号", "身份证号码", "身份证", "身份证件号码", "证件号码", "身份号码",
        "居民身份证号", "居民身份证号码", "身份证号(18位)", "身份证号码(18位)",
        "公民身份证号", "公民身份证号码",
    )),
    Field("birth_date", "出生日期", "date", ("出生日期", "出生年月", "出生年月日", "生日")),
    Field("education", "学历", "text", ("学历", "文化程度", "最高学历", "全日制学历")),
    Field("category", "人员类别", "category", (
        "人员类别", "政治面貌", "政治身份", "党员类别", "类别", "身份类别", "党员身份",
    )),
    Field("organization", "所在党组织", "ref", (
        "所在党组织", "所在党支部", "党组织名称", "所属党组织", "所属党支部", "党支部", "管理党组织",
    )),
    Field("joined_on", "入党时间", "date", ("入党时间", "入党日期", "加入党组织日期", "入党年月", "入党时间(年月)",
                                              "接收预备党员时间", "接收为预备党员时间", "支部大会通过时间",
                                              "支部大会通过日期", "支部大会讨论通过时间", "支部大会讨论通过日期")),
    Field("full_on", "转正时间", "date", ("转正时间", "转正日期", "转为正式党员日期", "转正年月", "转为正式党员时间")),
    Field("job", "工作岗位", "text", ("工作岗位", "岗位", "职务", "工种", "岗位/职务")),
    Field("phone", "联系电话", "phone", (
        "联系电话", "手机号码", "手机号", "手机", "联系方式", "电话", "电话号码", "移动电话",
        "联系手机", "手机/电话", "联系电话/手机",
    )),
    Field("address", "家庭住址", "text", ("家庭住址", "现住址", "居住地址", "现居住地", "住址")),
    Field("status", "党籍状态", "text", ("党籍状态",)),
    Field("lost_contact", "是否失联党员", "bool", ("是否失联党员", "是否失联", "失联党员", "是否为失联党员")),
    Field("lost_since", "失去联系日期", "date", ("失去联系日期", "失联日期", "失联时间")),
    Field("flowing", "是否流动党员", "bool", ("是否流动党员", "流动党员", "是否流动", "是否为流动党员")),
    Field("home_organization", "组织关系所在党组织", "text", (
        "组织关系所在党组织", "党组织关系所在地", "组织关系所在地", "组织关系所在单位", "党组织关系所在单位",
        "组织关系所在支部", "原党组织", "流出地党组织", "组织关系",
    )),
    Field("home_contact", "原党组织联系人", "text", ("原党组织联系人", "流出地联系人", "流出地党组织联系人")),
    Field("reported_on", "报到日期", "date", ("报到日期", "报到时间", "报到日")),
    Field("certificate_no", "流动党员活动证号", "text", ("流动党员活动证号", "活动证号", "流动党员活动证编号")),
    Field("relation", "组织关系类型", "relation", ("组织关系类型", "党员管理类型", "管理类型", "在册或流动")),
    Field("flow_destination", "外出流向", "text", ("外出流向", "流向", "外出地点", "流出去向", "外出流向地")),
    Field("flow_left_on", "外出日期", "date", ("外出日期", "外出时间", "流出日期", "流出时间")),
    Field("flow_contact", "外出地联系方式", "text", ("外出地联系方式", "外出地联系人", "流入地党组织联系人")),
    Field("managed_from", "纳入管理日期", "date", ("纳入管理日期", "纳入管理时间", "纳入日期", "摸排日期")),
    Field("managed_how", "纳入方式", "managed_how", ("纳入方式", "纳入管理方式", "来源方式")),
    Field("outlet", "所在网点", "ref", (
        "所在网点", "网点名称", "网点", "站点名称", "站点", "所在站点", "营业部", "所在单位", "工作单位",
        "单位名称", "所在营业部", "快递网点", "所在快递网点", "服务网点",
    )),
    Field("brand", "快递品牌", "ref", ("快递品牌", "所属企业", "企业名称", "所属公司", "快递公司", "品牌", "公司名称",
                                        "快递企业", "所属快递企业", "所属品牌")),
    Field("native_place", "籍贯", "text", ("籍贯", "出生地")),
    Field("household", "户籍所在地", "text", ("户籍所在地", "户籍地", "户口所在地")),
    Field("hired_on", "入职日期", "date", ("入职日期", "入职时间", "参加工作时间")),
    Field("applied_on", "申请入党日期", "date", ("申请入党日期", "递交入党申请书日期", "入党申请日期", "申请入党时间")),
    Field("talked_on", "谈话日期", "date", ("谈话日期", "谈话时间", "入党申请谈话日期")),
    Field("activist_on", "确定积极分子日期", "date", (
        "确定积极分子日期", "确定为入党积极分子日期", "确定积极分子时间", "列为积极分子时间",
        "确定为入党积极分子时间", "确定入党积极分子时间", "列为入党积极分子时间", "确定为积极分子时间",
        "确定为积极分子日期", "列为积极分子日期",
    )),
    Field("target_on", "列为发展对象日期", "date", ("列为发展对象日期", "确定发展对象日期", "列为发展对象时间",
                                                       "确定为发展对象时间", "确定为发展对象日期", "确定发展对象时间")),
    Field("extension_months", "延长预备期(月)", "int", ("延长预备期(月)", "延长预备期")),
    Field("contacts", "培养联系人", "text", ("培养联系人", "培养人", "培养联系人姓名")),
    Field("introducers", "入党介绍人", "text", ("入党介绍人", "介绍人", "入党介绍人姓名")),
    Field("volunteer_post", "认领志愿岗位", "text", ("认领志愿岗位", "志愿服务岗位", "志愿岗位", "认领岗位")),
    Field("left_on", "离开日期", "date", ("离开日期", "离职日期", "离职时间")),
    Field("left_how", "离开方式", "left_how", ("离开方式", "减少方式", "减少原因")),
    Field("notes", "备注", "text", ("备注", "说明")),
)

# Outlet list sheets (网点清单).
OUTLET_FIELDS: tuple[Field, ...] = (
    Field("name", "网点名称", "text", ("网点名称", "网点", "站点名称", "营业部名称", "网点(站点)名称", "快递网点名称", "快递网点")),
    Field("brand", "快递品牌", "ref", ("快递品牌", "所属企业", "品牌", "企业名称", "所属公司")),
    Field("address", "地址", "text", ("地址", "网点地址", "详细地址")),
    Field("district", "区", "text", ("所属区", "区县", "所在区", "区")),
    Field("street", "街道", "text", ("所属街道", "街道", "所在街道", "街镇", "街道(镇)")),
    Field("community", "社区", "text", ("社区", "所属社区", "所在社区", "村(社区)")),
    Field("workers", "从业人员数", "int", ("从业人员数", "从业人数", "员工人数", "人数", "快递员人数", "从业人员", "从业人员数量", "员工数")),
    Field("organization", "覆盖党组织", "ref", ("覆盖党组织", "所属党组织", "党组织", "党组织名称")),
    Field("guidance_officer", "党建指导员", "text", ("党建指导员", "指导员")),
)

# Census columns of development steps the people table has no column for (registry.importing.steps says which
# step each fills): recognised on import only, written as steps of the development record.
STEP_FIELDS: tuple[Field, ...] = (
    Field("recommendation", "推荐方式", "recommendation", ("推荐方式", "推荐入党积极分子方式", "推荐形式")),
    Field("recommended_on", "推荐时间", "date", ("推荐时间", "推荐日期", "推荐入党积极分子时间", "推优时间")),
    Field("form_number", "入党志愿书编号", "text", ("入党志愿书编号", "志愿书编号", "入党志愿书号", "志愿书号")),
    Field("form_on", "填写入党志愿书时间", "date", ("填写入党志愿书时间", "填写入党志愿书日期", "填写志愿书时间",
                                                    "志愿书填写时间", "志愿书填写日期")),
    Field("approved_on", "上级党委审批时间", "date", (
        "上级党委审批时间", "上级党委审批日期", "上级党委批准时间", "上级党委批准日期", "党委审批时间", "党委审批日期",
        "审批时间", "审批日期", "批准时间", "批准日期", "批准入党时间", "批准入党日期", "党委批准时间",
    )),
    Field("oath_on", "入党宣誓时间", "date", ("入党宣誓时间", "入党宣誓日期", "宣誓时间", "宣誓日期")),
    Field("full_approved_on", "转正审批时间", "date", ("转正审批时间", "转正审批日期", "批准转正时间", "批准转正日期",
                                                       "转正批准时间", "上级党委审批转正时间")),
)

PERSON_BY_KEY = {f.key: f for f in PERSON_FIELDS}
# What a census may carry: the person fields and the step columns.
IMPORT_FIELDS: tuple[Field, ...] = (*PERSON_FIELDS, *STEP_FIELDS)
IMPORT_BY_KEY = {f.key: f for f in IMPORT_FIELDS}
OUTLET_BY_KEY = {f.key: f for f in OUTLET_FIELDS}

# Columns of the roster (花名册), in the official order.
ROSTER_KEYS: tuple[str, ...] = (
    "name", "gender", "ethnicity", "id_number", "birth_date", "education", "category", "organization",
    "joined_on", "full_on", "job", "phone", "address", "status", "lost_contact", "lost_since", "flowing",
    "home_organization", "outlet", "brand", "reported_on", "notes",
)
