BEGIN TRANSACTION;
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    operation_id INTEGER NOT NULL REFERENCES operations(id),
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op = 'insert' OR op = 'update' OR op = 'delete'),
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    label TEXT,
    field TEXT,
    old TEXT,
    new TEXT
);
INSERT INTO "audit_log" VALUES(1,1,'2026-12-01T14:24:20','测试','insert','organizations',1,'示例党支部',NULL,NULL,'{"name": "示例党支部", "norm_name": "示例党支部", "type": "党支部"}');
INSERT INTO "audit_log" VALUES(2,2,'2026-12-01T14:24:20','测试','insert','brands',1,'极兔速递',NULL,NULL,'{"name": "极兔速递", "norm_name": "极兔"}');
INSERT INTO "audit_log" VALUES(3,2,'2026-12-01T14:24:20','测试','insert','outlets',1,'沙河网点',NULL,NULL,'{"name": "沙河网点", "brand_id": 1, "organization_id": 1, "norm_name": "沙河网点"}');
INSERT INTO "audit_log" VALUES(4,3,'2026-12-01T14:24:20','测试','insert','people',1,'张三',NULL,NULL,'{"name": "张三", "id_number": "510104198503154210", "category": "正式党员", "joined_on": "2010-07", "full_on": "2011-07", "managed_from": "2026-01-05", "managed_how": "摸排新纳入", "birth_date": "1985-03-15", "gender": "男", "outlet_id": 1, "updated_at": "2026-12-01T14:24:20", "created_at": "2026-12-01T14:24:20"}');
INSERT INTO "audit_log" VALUES(5,4,'2026-12-01T14:24:20','测试','insert','people',2,'李四',NULL,NULL,'{"name": "李四", "id_number": "420106199207080064", "category": "预备党员", "joined_on": "2026-03-01", "managed_from": "2026-01-05", "birth_date": "1992-07-08", "gender": "女", "outlet_id": 1, "updated_at": "2026-12-01T14:24:20", "created_at": "2026-12-01T14:24:20", "managed_how": "新录入"}');
INSERT INTO "audit_log" VALUES(6,5,'2026-12-01T14:24:20','测试','insert','people',3,'钱七',NULL,NULL,'{"name": "钱七", "id_number": "440305200001012617", "category": "发展对象", "applied_on": "2024-03-01", "activist_on": "2024-06-01", "target_on": "2025-07-01", "introducers": "张三", "managed_from": "2024-01-05", "birth_date": "2000-01-01", "gender": "男", "updated_at": "2026-12-01T14:24:20", "created_at": "2026-12-01T14:24:20", "managed_how": "新录入"}');
INSERT INTO "audit_log" VALUES(7,6,'2026-12-01T14:24:20','测试','insert','development_steps',1,'钱七',NULL,NULL,'{"person_id": 3, "step": "training", "on_date": "2025-08-01", "fields": "{\"end_on\": \"2025-08-03\", \"hours\": 24.0}", "recorded_at": "2026-12-01T14:24:20"}');
INSERT INTO "audit_log" VALUES(8,7,'2026-12-01T14:24:20','测试','insert','meetings',1,'示例党支部 支部党员大会',NULL,NULL,'{"organization_id": 1, "kind": "支部党员大会", "held_on": "2026-03-01"}');
INSERT INTO "audit_log" VALUES(9,8,'2026-12-01T14:24:20','测试','insert','development_steps',2,'李四',NULL,NULL,'{"person_id": 2, "step": "admission_meeting", "on_date": "2026-03-01", "fields": "{\"votes\": {\"voting_expected\": 3, \"voting_present\": 3, \"yes\": 3}}", "meeting_id": 1, "recorded_at": "2026-12-01T14:24:20"}');
INSERT INTO "audit_log" VALUES(10,9,'2026-12-01T14:24:20','测试','insert','development_steps',3,'李四',NULL,NULL,'{"person_id": 2, "step": "cancellation", "on_date": "2026-11-20", "fields": "{\"reason\": \"不履行党员义务\", \"votes\": {\"no\": 1, \"voting_expected\": 3, \"voting_present\": 3, \"yes\": 2}}", "recorded_at": "2026-12-01T14:24:20"}');
INSERT INTO "audit_log" VALUES(11,9,'2026-12-01T14:24:20','测试','update','people',2,'李四','cancelled_on',NULL,'2026-11-20');
INSERT INTO "audit_log" VALUES(12,9,'2026-12-01T14:24:20','测试','update','people',2,'李四','category','预备党员','群众');
INSERT INTO "audit_log" VALUES(13,10,'2026-12-01T18:44:41','root','insert','care_types',1,'小哥加油站',NULL,NULL,'{"name": "小哥加油站", "norm_name": "小哥加油站", "uses_class": 1}');
INSERT INTO "audit_log" VALUES(14,11,'2026-12-01T18:44:41','root','insert','care_stations',1,'白石洲暖蜂驿站',NULL,NULL,'{"name": "白石洲暖蜂驿站", "type": "暖蜂驿站", "street": "沙河街道", "community": "白石洲社区", "services": "饮水、充电、党员报到处", "phone": "13800138000", "community_key": "白石洲", "norm_name": "白石洲暖蜂驿站"}');
INSERT INTO "audit_log" VALUES(15,12,'2026-12-01T18:44:41','root','insert','care_visits',1,'白石洲暖蜂驿站',NULL,NULL,'{"station_id": 1, "month": "2026-11", "count": 320}');
INSERT INTO "audit_log" VALUES(16,13,'2026-12-01T18:44:41','root','insert','care_streets',1,'沙河暖蜂一条街',NULL,NULL,'{"name": "沙河暖蜂一条街", "street": "沙河街道", "norm_name": "沙河暖蜂一条街", "street_key": "沙河"}');
INSERT INTO "audit_log" VALUES(17,14,'2026-12-01T18:44:41','root','insert','care_merchants',1,'暖蜂超市',NULL,NULL,'{"name": "暖蜂超市", "community": "白石洲社区", "station_id": 1, "care_street_id": 1, "norm_name": "暖蜂超市", "community_key": "白石洲"}');
INSERT INTO "audit_log" VALUES(18,15,'2026-12-01T18:44:41','root','insert','volunteer_posts',1,'城南平安巡查岗',NULL,NULL,'{"name": "城南平安巡查岗", "norm_name": "城南平安巡查岗", "kind": "平安巡查员", "area": "城南街道", "opened_on": "2026-01-01"}');
INSERT INTO "audit_log" VALUES(19,16,'2026-12-01T18:44:41','root','insert','volunteer_point_rules',1,'2026-01-01起积分规则',NULL,NULL,'{"valid_from": "2026-01-01", "per_hour": 10.0, "per_activity": 5.0, "by_type": "{\"平安巡查\": 5}"}');
INSERT INTO "audit_log" VALUES(20,17,'2026-12-01T18:44:41','root','insert','volunteer_claims',1,'张三',NULL,NULL,'{"post_id": 1, "person_id": 1, "since": "2026-03-01"}');
INSERT INTO "audit_log" VALUES(21,18,'2026-12-01T18:44:41','root','insert','volunteer_activities',1,'夜间平安巡查',NULL,NULL,'{"title": "夜间平安巡查", "kind": "平安巡查", "held_on": "2026-06-10", "post_id": 1, "default_hours": 2.0}');
INSERT INTO "audit_log" VALUES(22,18,'2026-12-01T18:44:41','root','insert','volunteer_records',1,'张三',NULL,NULL,'{"person_id": 1, "activity_id": 1, "post": "城南平安巡查岗", "served_on": "2026-06-10", "hours": 2.0, "points": 30.0, "points_rule": "2026年1月1日起：每小时10分，每参加一次活动5分，平安巡查活动另加5分"}');
INSERT INTO "audit_log" VALUES(23,18,'2026-12-01T18:44:41','root','insert','volunteer_records',2,'李四',NULL,NULL,'{"person_id": 2, "activity_id": 1, "post": "城南平安巡查岗", "served_on": "2026-06-10", "hours": 2.0, "points": 30.0, "points_rule": "2026年1月1日起：每小时10分，每参加一次活动5分，平安巡查活动另加5分"}');
INSERT INTO "audit_log" VALUES(24,19,'2026-12-01T18:44:41','root','insert','party_groups',1,NULL,NULL,NULL,'{"organization_id": 1, "name": "第一党小组", "since": "2026-01-01"}');
INSERT INTO "audit_log" VALUES(25,19,'2026-12-01T18:44:41','root','insert','party_group_members',1,NULL,NULL,NULL,'{"group_id": 1, "person_id": 1, "since": "2026-01-01"}');
INSERT INTO "audit_log" VALUES(26,19,'2026-12-01T18:44:41','root','insert','org_life_settings',1,NULL,NULL,NULL,'{"organization_id": 1, "committee": "有", "lessons_per_year": 4}');
INSERT INTO "audit_log" VALUES(27,19,'2026-12-01T18:44:41','root','insert','meetings',2,NULL,NULL,NULL,'{"organization_id": 1, "kind": "党小组会", "held_on": "2027-01-12", "status": "计划", "group_id": 1, "host": "组长"}');
INSERT INTO "audit_log" VALUES(28,19,'2026-12-01T18:44:41','root','insert','meeting_attachments',1,NULL,NULL,NULL,'{"meeting_id": 2, "path": "C:/台账/签到表.jpg", "name": "签到表.jpg", "size": 1024, "sha256": "0000000000000000000000000000000000000000000000000000000000000000"}');
INSERT INTO "audit_log" VALUES(29,20,'2026-12-01T18:44:41','root','insert','dues_bases',1,'张三',NULL,NULL,'{"person_id": 1, "from_month": "2026-01", "payer_class": "在职", "base": "4200.00", "amount": "42.00", "pays_at": "本单位"}');
INSERT INTO "audit_log" VALUES(30,20,'2026-12-01T18:44:41','root','insert','dues_payments',1,'张三',NULL,NULL,'{"person_id": 1, "first_month": "2026-01", "last_month": "2026-06", "paid_on": "2026-06-30", "amount": "252.00"}');
CREATE TABLE brands (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    norm_name TEXT NOT NULL UNIQUE
);
INSERT INTO "brands" VALUES(1,'极兔速递','极兔');
CREATE TABLE care_merchants (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    norm_name TEXT NOT NULL,
    address TEXT,
    street TEXT,
    community TEXT,
    community_key TEXT NOT NULL DEFAULT '',
    offers TEXT,
    station_id INTEGER REFERENCES care_stations(id) ON DELETE SET NULL,
    care_street_id INTEGER REFERENCES care_streets(id) ON DELETE SET NULL,
    contact TEXT,
    phone TEXT,
    notes TEXT
);
INSERT INTO "care_merchants" VALUES(1,'暖蜂超市','暖蜂超市',NULL,NULL,'白石洲社区','白石洲',NULL,1,1,NULL,NULL,NULL);
CREATE TABLE care_services (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    norm_name TEXT NOT NULL UNIQUE
);
CREATE TABLE care_stations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    norm_name TEXT NOT NULL,
    type TEXT NOT NULL,
    class TEXT CHECK (class IS NULL OR class IN ('一类','二类','三类')),
    address TEXT,
    district TEXT,
    street TEXT,
    community TEXT,
    community_key TEXT NOT NULL DEFAULT '',
    host_unit TEXT,
    opening_hours TEXT,
    services TEXT,
    contact TEXT,
    phone TEXT,
    opened_on TEXT,
    closed_on TEXT,
    notes TEXT
);
INSERT INTO "care_stations" VALUES(1,'白石洲暖蜂驿站','白石洲暖蜂驿站','暖蜂驿站',NULL,NULL,NULL,'沙河街道','白石洲社区','白石洲',NULL,NULL,'饮水、充电、党员报到处',NULL,'13800138000',NULL,NULL,NULL);
CREATE TABLE care_streets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    norm_name TEXT NOT NULL,
    district TEXT,
    street TEXT,
    street_key TEXT NOT NULL DEFAULT '',
    notes TEXT
);
INSERT INTO "care_streets" VALUES(1,'沙河暖蜂一条街','沙河暖蜂一条街',NULL,'沙河街道','沙河',NULL);
CREATE TABLE care_types (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    norm_name TEXT NOT NULL UNIQUE,
    uses_class INTEGER NOT NULL DEFAULT 0 CHECK (uses_class IN (0,1))
);
INSERT INTO "care_types" VALUES(1,'小哥加油站','小哥加油站',1);
CREATE TABLE care_visits (
    id INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES care_stations(id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count >= 0),
    UNIQUE (station_id, month)
);
INSERT INTO "care_visits" VALUES(1,1,'2026-11',320);
CREATE TABLE development_steps (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    on_date TEXT NOT NULL,
    fields TEXT NOT NULL DEFAULT '{}',
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    override_reason TEXT,
    recorded_at TEXT NOT NULL
);
INSERT INTO "development_steps" VALUES(1,3,'training','2025-08-01','{"end_on": "2025-08-03", "hours": 24.0}',NULL,NULL,'2026-12-01T14:24:20');
INSERT INTO "development_steps" VALUES(2,2,'admission_meeting','2026-03-01','{"votes": {"voting_expected": 3, "voting_present": 3, "yes": 3}}',1,NULL,'2026-12-01T14:24:20');
INSERT INTO "development_steps" VALUES(3,2,'cancellation','2026-11-20','{"reason": "不履行党员义务", "votes": {"no": 1, "voting_expected": 3, "voting_present": 3, "yes": 2}}',NULL,NULL,'2026-12-01T14:24:20');
CREATE TABLE dues_bases (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    from_month TEXT NOT NULL,
    payer_class TEXT,
    base TEXT,
    amount TEXT,
    reason TEXT,
    pays_at TEXT NOT NULL DEFAULT '本单位' CHECK (pays_at IN ('本单位','原籍党组织')),
    notes TEXT,
    UNIQUE (person_id, from_month)
);
INSERT INTO "dues_bases" VALUES(1,1,'2026-01','在职','4200.00','42.00',NULL,'本单位',NULL);
CREATE TABLE dues_payments (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    first_month TEXT NOT NULL,
    last_month TEXT NOT NULL,
    paid_on TEXT NOT NULL,
    amount TEXT NOT NULL,
    reason TEXT,
    notes TEXT
);
INSERT INTO "dues_payments" VALUES(1,1,'2026-01','2026-06','2026-06-30','252.00',NULL,NULL);
CREATE TABLE import_batches (
    id INTEGER PRIMARY KEY,
    operation_id INTEGER NOT NULL REFERENCES operations(id),
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    files TEXT NOT NULL,
    rows INTEGER NOT NULL,
    added INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    duplicates INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'applied' CHECK (status IN ('applied','undone')),
    undone_at TEXT,
    undo_operation_id INTEGER REFERENCES operations(id),
    problems TEXT,
    rejected_rows TEXT
, people_from INTEGER, people_to INTEGER);
CREATE TABLE import_templates (
    signature TEXT PRIMARY KEY,
    sheet TEXT,
    overrides TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
CREATE TABLE meeting_attachments (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER,
    sha256 TEXT
);
INSERT INTO "meeting_attachments" VALUES(1,2,'C:/台账/签到表.jpg','签到表.jpg',1024,'0000000000000000000000000000000000000000000000000000000000000000');
CREATE TABLE meeting_attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT '出席' CHECK (status IN ('出席','请假','缺席')), reason TEXT, grade TEXT CHECK (grade IS NULL OR grade IN ('优秀','合格','基本合格','不合格')), override_reason TEXT,
    PRIMARY KEY (meeting_id, person_id)
);
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    topic TEXT,
    location TEXT,
    notes TEXT
, status TEXT NOT NULL DEFAULT '已召开' CHECK (status IN ('计划','已召开')), host TEXT, recorder TEXT, minutes TEXT, group_id INTEGER REFERENCES party_groups(id) ON DELETE SET NULL);
INSERT INTO "meetings" VALUES(1,1,'支部党员大会','2026-03-01',NULL,NULL,NULL,'已召开',NULL,NULL,NULL,NULL);
INSERT INTO "meetings" VALUES(2,1,'党小组会','2027-01-12',NULL,NULL,NULL,'计划','组长',NULL,NULL,1);
CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);
INSERT INTO "migrations" VALUES('0001_initial','2026-12-01T14:24:20');
INSERT INTO "migrations" VALUES('0002_dated_membership','2026-12-01T14:24:20');
INSERT INTO "migrations" VALUES('0003_development_steps','2026-12-01T14:24:20');
INSERT INTO "migrations" VALUES('0004_org_life_dues_care','2026-12-01T18:44:41');
INSERT INTO "migrations" VALUES('0005_import_batch_audit','2026-12-01T18:44:41');
INSERT INTO "migrations" VALUES('0006_roster_pinyin_in_memory','2026-12-01T21:07:54');
INSERT INTO "migrations" VALUES('0007_checks_without_in_lists','2026-12-01T21:15:07');
CREATE TABLE operations (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    action TEXT NOT NULL,
    summary TEXT
);
INSERT INTO "operations" VALUES(1,'2026-12-01T14:24:20','测试','org.add','新增党组织 示例党支部');
INSERT INTO "operations" VALUES(2,'2026-12-01T14:24:20','测试','outlet.add','新增网点 沙河网点');
INSERT INTO "operations" VALUES(3,'2026-12-01T14:24:20','测试','person.add','新增人员 张三');
INSERT INTO "operations" VALUES(4,'2026-12-01T14:24:20','测试','person.add','新增人员 李四');
INSERT INTO "operations" VALUES(5,'2026-12-01T14:24:20','测试','person.add','新增人员 钱七');
INSERT INTO "operations" VALUES(6,'2026-12-01T14:24:20','测试','development.step','钱七 集中培训');
INSERT INTO "operations" VALUES(7,'2026-12-01T14:24:20','测试','meeting.record','示例党支部 2026-03-01 支部党员大会');
INSERT INTO "operations" VALUES(8,'2026-12-01T14:24:20','测试','development.step','李四 支部大会讨论接收为预备党员');
INSERT INTO "operations" VALUES(9,'2026-12-01T14:24:20','测试','development.cancel','李四 取消预备党员资格');
INSERT INTO "operations" VALUES(10,'2026-12-01T18:44:41','root','station.type.add','新增驿站类型 小哥加油站');
INSERT INTO "operations" VALUES(11,'2026-12-01T18:44:41','root','station.add','新增驿站 白石洲暖蜂驿站');
INSERT INTO "operations" VALUES(12,'2026-12-01T18:44:41','root','station.visits','白石洲暖蜂驿站 2026-11服务人次 320');
INSERT INTO "operations" VALUES(13,'2026-12-01T18:44:41','root','care_street.add','新增暖蜂一条街 沙河暖蜂一条街');
INSERT INTO "operations" VALUES(14,'2026-12-01T18:44:41','root','merchant.add','新增暖蜂商户 暖蜂超市');
INSERT INTO "operations" VALUES(15,'2026-12-01T18:44:41','root','volunteer.post.add','新增志愿服务岗位 城南平安巡查岗');
INSERT INTO "operations" VALUES(16,'2026-12-01T18:44:41','root','volunteer.rules.set','设置志愿服务积分规则（2026年1月1日起）');
INSERT INTO "operations" VALUES(17,'2026-12-01T18:44:41','root','volunteer.post.claim','张三 认领志愿服务岗位 城南平安巡查岗');
INSERT INTO "operations" VALUES(18,'2026-12-01T18:44:41','root','volunteer.activity.add','志愿服务活动 2026-06-10 夜间平安巡查（2人）');
INSERT INTO "operations" VALUES(19,'2026-12-01T18:44:41','root','fixture.org_life','组织生活的样例记录');
INSERT INTO "operations" VALUES(20,'2026-12-01T18:44:41','root','fixture.dues','样例党费记录');
CREATE TABLE org_life_settings (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL UNIQUE REFERENCES organizations(id) ON DELETE CASCADE,
    committee TEXT NOT NULL DEFAULT '自动' CHECK (committee IN ('自动','有','无')),
    lessons_per_year INTEGER NOT NULL DEFAULT 1 CHECK (lessons_per_year IN (1, 2, 4, 12)),
    records_from TEXT
);
INSERT INTO "org_life_settings" VALUES(1,1,'有',4,NULL);
CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    norm_name TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL DEFAULT '党支部',
    parent_id INTEGER REFERENCES organizations(id),
    founding_mode TEXT,
    secretary TEXT,
    contact TEXT,
    phone TEXT,
    founded_on TEXT,
    notes TEXT
);
INSERT INTO "organizations" VALUES(1,'示例党支部','示例党支部','党支部',NULL,NULL,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE outlets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    norm_name TEXT NOT NULL,
    brand_id INTEGER REFERENCES brands(id),
    address TEXT,
    district TEXT,
    street TEXT,
    community TEXT,
    workers INTEGER,
    organization_id INTEGER REFERENCES organizations(id),
    guidance_officer TEXT,
    notes TEXT
);
INSERT INTO "outlets" VALUES(1,'沙河网点','沙河网点',1,NULL,NULL,NULL,NULL,NULL,1,NULL,NULL);
CREATE TABLE party_group_members (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES party_groups(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    since TEXT,
    until TEXT
);
INSERT INTO "party_group_members" VALUES(1,1,1,'2026-01-01',NULL);
CREATE TABLE party_groups (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    leader_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    since TEXT,
    until TEXT,
    notes TEXT,
    UNIQUE (organization_id, name)
);
INSERT INTO "party_groups" VALUES(1,1,'第一党小组',NULL,'2026-01-01',NULL,NULL);
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    id_number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    gender TEXT CHECK (gender = '男' OR gender = '女'),
    ethnicity TEXT,
    birth_date TEXT,
    education TEXT,
    phone TEXT,
    native_place TEXT,
    household TEXT,
    address TEXT,
    outlet_id INTEGER REFERENCES outlets(id),
    organization_id INTEGER REFERENCES organizations(id),
    job TEXT,
    hired_on TEXT,
    category TEXT NOT NULL DEFAULT '群众' CHECK (category = '群众' OR category = '入党申请人' OR category = '入党积极分子' OR category = '发展对象' OR category = '预备党员' OR category = '正式党员'),
    applied_on TEXT,
    talked_on TEXT,
    activist_on TEXT,
    target_on TEXT,
    joined_on TEXT,
    full_on TEXT,
    extension_months INTEGER,
    contacts TEXT,
    introducers TEXT,
    flowing INTEGER NOT NULL DEFAULT 0 CHECK (flowing = 0 OR flowing = 1),
    home_organization TEXT,
    home_contact TEXT,
    reported_on TEXT,
    certificate_no TEXT,
    status TEXT NOT NULL DEFAULT '正常' CHECK (status = '正常' OR status = '停止党籍'),
    lost_contact INTEGER NOT NULL DEFAULT 0 CHECK (lost_contact = 0 OR lost_contact = 1),
    lost_since TEXT,
    left_on TEXT,
    left_reason TEXT,
    volunteer_post TEXT,
    notes TEXT,
    sort_stroke TEXT NOT NULL DEFAULT '',
    sort_pinyin TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
, relation TEXT NOT NULL DEFAULT '在册' CHECK (relation = '在册' OR relation = '流入' OR relation = '流出' OR relation = '待核实'), managed_from TEXT, managed_how TEXT, state_from TEXT, left_how TEXT, flow_destination TEXT, flow_left_on TEXT, flow_contact TEXT, cancelled_on TEXT, report_station_id INTEGER REFERENCES care_stations(id) ON DELETE SET NULL, report_point TEXT, batch_id INTEGER);
INSERT INTO "people" VALUES(1,'510104198503154210','张三','男',NULL,'1985-03-15',NULL,NULL,NULL,NULL,NULL,1,NULL,NULL,NULL,'正式党员',NULL,NULL,NULL,NULL,'2010-07','2011-07',NULL,NULL,NULL,0,NULL,NULL,NULL,NULL,'正常',0,NULL,NULL,NULL,NULL,NULL,'075153154zhang1_005F20!03111san1___004E09','zhang1_07005F20!san1___03004E09','张三510104198503154210zhangsanzs','2026-12-01T14:24:20','2026-12-01T14:24:20','在册','2026-01-05','摸排新纳入',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "people" VALUES(2,'420106199207080064','李四','女',NULL,'1992-07-08',NULL,NULL,NULL,NULL,NULL,1,NULL,NULL,NULL,'群众',NULL,NULL,NULL,NULL,'2026-03-01',NULL,NULL,NULL,NULL,0,NULL,NULL,NULL,NULL,'正常',0,NULL,NULL,NULL,NULL,NULL,'071234551li3____00674E!0525351si4____0056DB','li3____0700674E!si4____050056DB','李四420106199207080064lisils','2026-12-01T14:24:20','2026-12-01T14:24:20','在册','2026-01-05','新录入',NULL,NULL,NULL,NULL,NULL,'2026-11-20',NULL,NULL,NULL);
INSERT INTO "people" VALUES(3,'440305200001012617','钱七','男',NULL,'2000-01-01',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'发展对象','2024-03-01',NULL,'2024-06-01','2025-07-01',NULL,NULL,NULL,NULL,'张三',0,NULL,NULL,NULL,NULL,'正常',0,NULL,NULL,NULL,NULL,NULL,'103111511534qian2__0094B1!0215qi1____004E03','qian2__100094B1!qi1____02004E03','钱七440305200001012617qianqiqq','2026-12-01T14:24:20','2026-12-01T14:24:20','在册','2024-01-05','新录入',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE person_states (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    valid_from TEXT,
    valid_to TEXT NOT NULL,
    organization_id INTEGER REFERENCES organizations(id),
    outlet_id INTEGER REFERENCES outlets(id),
    relation TEXT NOT NULL CHECK (relation IN ('在册','流入','流出','待核实')),
    status TEXT NOT NULL,
    lost_contact INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE report_submissions (
    id INTEGER PRIMARY KEY,
    operation_id INTEGER NOT NULL REFERENCES operations(id),
    kind TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    organization TEXT NOT NULL DEFAULT '',
    submitted_at TEXT NOT NULL,
    operator TEXT NOT NULL,
    title TEXT NOT NULL,
    figures TEXT NOT NULL,
    pdf BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    UNIQUE (kind, period_start, period_end, organization)
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT
);
INSERT INTO "settings" VALUES('keys_version','2');
CREATE TABLE transfers (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    direction TEXT NOT NULL CHECK (direction IN ('in','out')),
    letter_no TEXT,
    from_org TEXT,
    to_org TEXT,
    issued_on TEXT,
    arrived_on TEXT,
    dues_paid_to TEXT,
    notes TEXT
, received_on TEXT, valid_until TEXT);
CREATE TABLE volunteer_activities (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    place TEXT,
    organization_id INTEGER REFERENCES organizations(id) ON DELETE SET NULL,
    post_id INTEGER REFERENCES volunteer_posts(id) ON DELETE SET NULL,
    default_hours REAL,
    notes TEXT
);
INSERT INTO "volunteer_activities" VALUES(1,'夜间平安巡查','平安巡查','2026-06-10',NULL,NULL,1,2.0,NULL);
CREATE TABLE volunteer_claims (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES volunteer_posts(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    since TEXT NOT NULL,
    until TEXT,
    notes TEXT
);
INSERT INTO "volunteer_claims" VALUES(1,1,1,'2026-03-01',NULL,NULL);
CREATE TABLE volunteer_point_rules (
    id INTEGER PRIMARY KEY,
    valid_from TEXT NOT NULL UNIQUE,
    per_hour REAL NOT NULL DEFAULT 0,
    per_activity REAL NOT NULL DEFAULT 0,
    by_type TEXT NOT NULL DEFAULT '{}',
    notes TEXT
);
INSERT INTO "volunteer_point_rules" VALUES(1,'2026-01-01',10.0,5.0,'{"平安巡查": 5}',NULL);
CREATE TABLE volunteer_posts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    norm_name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    organization_id INTEGER REFERENCES organizations(id) ON DELETE SET NULL,
    outlet_id INTEGER REFERENCES outlets(id) ON DELETE SET NULL,
    area TEXT,
    description TEXT,
    opened_on TEXT,
    closed_on TEXT
);
INSERT INTO "volunteer_posts" VALUES(1,'城南平安巡查岗','城南平安巡查岗','平安巡查员',NULL,NULL,'城南街道',NULL,'2026-01-01',NULL);
CREATE TABLE volunteer_records (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    post TEXT NOT NULL,
    role TEXT,
    served_on TEXT NOT NULL,
    hours REAL NOT NULL DEFAULT 0,
    points REAL NOT NULL DEFAULT 0,
    notes TEXT
, activity_id INTEGER REFERENCES volunteer_activities(id) ON DELETE CASCADE, adjustment REAL NOT NULL DEFAULT 0, adjustment_reason TEXT, points_rule TEXT);
INSERT INTO "volunteer_records" VALUES(1,1,'城南平安巡查岗',NULL,'2026-06-10',2.0,30.0,NULL,1,0.0,NULL,'2026年1月1日起：每小时10分，每参加一次活动5分，平安巡查活动另加5分');
INSERT INTO "volunteer_records" VALUES(2,2,'城南平安巡查岗',NULL,'2026-06-10',2.0,30.0,NULL,1,0.0,NULL,'2026年1月1日起：每小时10分，每参加一次活动5分，平安巡查活动另加5分');
CREATE INDEX audit_log_operation ON audit_log(operation_id);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX organizations_parent ON organizations(parent_id);
CREATE UNIQUE INDEX outlets_identity ON outlets(norm_name, ifnull(brand_id, 0));
CREATE INDEX outlets_organization ON outlets(organization_id);
CREATE INDEX outlets_brand ON outlets(brand_id);
CREATE INDEX people_roster_stroke ON people(sort_stroke, search_text, left_on, category, flowing, outlet_id,
                                            organization_id);
CREATE INDEX people_due ON people(category, left_on, applied_on, talked_on, activist_on, joined_on, full_on,
                                  extension_months, lost_contact, lost_since);
CREATE INDEX people_organization ON people(organization_id);
CREATE INDEX people_name ON people(name);
CREATE INDEX transfers_person ON transfers(person_id);
CREATE INDEX meetings_org ON meetings(organization_id, held_on);
CREATE INDEX attendance_person ON meeting_attendance(person_id);
CREATE INDEX volunteer_person ON volunteer_records(person_id);
CREATE INDEX volunteer_date ON volunteer_records(served_on);
CREATE INDEX person_states_person ON person_states(person_id, valid_to);
CREATE INDEX person_states_to ON person_states(valid_to);
CREATE INDEX development_steps_person ON development_steps(person_id, step, on_date);
CREATE INDEX people_stats ON people(outlet_id, category, relation, status, lost_contact, left_on, managed_from,
                                    state_from, organization_id, applied_on, activist_on, target_on, joined_on,
                                    full_on, extension_months, cancelled_on);
CREATE INDEX party_group_members_group ON party_group_members(group_id, person_id);
CREATE INDEX party_group_members_person ON party_group_members(person_id);
CREATE INDEX meeting_attachments_meeting ON meeting_attachments(meeting_id);
CREATE INDEX dues_payments_person ON dues_payments(person_id, first_month);
CREATE INDEX dues_payments_paid ON dues_payments(paid_on)
;
CREATE INDEX volunteer_claims_post ON volunteer_claims(post_id, since);
CREATE INDEX volunteer_claims_person ON volunteer_claims(person_id);
CREATE INDEX volunteer_activities_day ON volunteer_activities(held_on);
CREATE INDEX volunteer_records_activity ON volunteer_records(activity_id)
;
CREATE UNIQUE INDEX care_stations_identity ON care_stations(norm_name, community_key);
CREATE INDEX care_stations_community ON care_stations(community_key);
CREATE UNIQUE INDEX care_streets_identity ON care_streets(norm_name, street_key);
CREATE UNIQUE INDEX care_merchants_identity ON care_merchants(norm_name, community_key);
COMMIT;
