BEGIN TRANSACTION;
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    operation_id INTEGER NOT NULL REFERENCES operations(id),
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('insert','update','delete')),
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
CREATE TABLE brands (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    norm_name TEXT NOT NULL UNIQUE
);
INSERT INTO "brands" VALUES(1,'极兔速递','极兔');
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
CREATE TABLE meeting_attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT '出席' CHECK (status IN ('出席','请假','缺席')),
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
);
INSERT INTO "meetings" VALUES(1,1,'支部党员大会','2026-03-01',NULL,NULL,NULL);
CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);
INSERT INTO "migrations" VALUES('0001_initial','2026-12-01T14:24:20');
INSERT INTO "migrations" VALUES('0002_dated_membership','2026-12-01T14:24:20');
INSERT INTO "migrations" VALUES('0003_development_steps','2026-12-01T14:24:20');
INSERT INTO "migrations" VALUES('0004_org_life_dues_care','2026-12-01T17:10:18');
INSERT INTO "migrations" VALUES('0005_import_batch_audit','2026-12-01T17:20:18');
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
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    id_number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    gender TEXT CHECK (gender IN ('男','女')),
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
    category TEXT NOT NULL DEFAULT '群众' CHECK (category IN ('群众','入党申请人','入党积极分子','发展对象','预备党员','正式党员')),
    applied_on TEXT,
    talked_on TEXT,
    activist_on TEXT,
    target_on TEXT,
    joined_on TEXT,
    full_on TEXT,
    extension_months INTEGER,
    contacts TEXT,
    introducers TEXT,
    flowing INTEGER NOT NULL DEFAULT 0 CHECK (flowing IN (0,1)),
    home_organization TEXT,
    home_contact TEXT,
    reported_on TEXT,
    certificate_no TEXT,
    status TEXT NOT NULL DEFAULT '正常' CHECK (status IN ('正常','停止党籍')),
    lost_contact INTEGER NOT NULL DEFAULT 0 CHECK (lost_contact IN (0,1)),
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
, relation TEXT NOT NULL DEFAULT '在册' CHECK (relation IN ('在册','流入','流出','待核实')), managed_from TEXT, managed_how TEXT, state_from TEXT, left_how TEXT, flow_destination TEXT, flow_left_on TEXT, flow_contact TEXT, cancelled_on TEXT, batch_id INTEGER);
INSERT INTO "people" VALUES(1,'510104198503154210','张三','男',NULL,'1985-03-15',NULL,NULL,NULL,NULL,NULL,1,NULL,NULL,NULL,'正式党员',NULL,NULL,NULL,NULL,'2010-07','2011-07',NULL,NULL,NULL,0,NULL,NULL,NULL,NULL,'正常',0,NULL,NULL,NULL,NULL,NULL,'075153154zhang1_005F20!03111san1___004E09','zhang1_07005F20!san1___03004E09','张三510104198503154210zhangsanzs','2026-12-01T14:24:20','2026-12-01T14:24:20','在册','2026-01-05','摸排新纳入',NULL,NULL,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "people" VALUES(2,'420106199207080064','李四','女',NULL,'1992-07-08',NULL,NULL,NULL,NULL,NULL,1,NULL,NULL,NULL,'群众',NULL,NULL,NULL,NULL,'2026-03-01',NULL,NULL,NULL,NULL,0,NULL,NULL,NULL,NULL,'正常',0,NULL,NULL,NULL,NULL,NULL,'071234551li3____00674E!0525351si4____0056DB','li3____0700674E!si4____050056DB','李四420106199207080064lisils','2026-12-01T14:24:20','2026-12-01T14:24:20','在册','2026-01-05','新录入',NULL,NULL,NULL,NULL,NULL,'2026-11-20',NULL);
INSERT INTO "people" VALUES(3,'440305200001012617','钱七','男',NULL,'2000-01-01',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'发展对象','2024-03-01',NULL,'2024-06-01','2025-07-01',NULL,NULL,NULL,NULL,'张三',0,NULL,NULL,NULL,NULL,'正常',0,NULL,NULL,NULL,NULL,NULL,'103111511534qian2__0094B1!0215qi1____004E03','qian2__100094B1!qi1____02004E03','钱七440305200001012617qianqiqq','2026-12-01T14:24:20','2026-12-01T14:24:20','在册','2024-01-05','新录入',NULL,NULL,NULL,NULL,NULL,NULL,NULL);
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
CREATE TABLE volunteer_records (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    post TEXT NOT NULL,
    role TEXT,
    served_on TEXT NOT NULL,
    hours REAL NOT NULL DEFAULT 0,
    points REAL NOT NULL DEFAULT 0,
    notes TEXT
);
CREATE INDEX audit_log_operation ON audit_log(operation_id);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX organizations_parent ON organizations(parent_id);
CREATE UNIQUE INDEX outlets_identity ON outlets(norm_name, ifnull(brand_id, 0));
CREATE INDEX outlets_organization ON outlets(organization_id);
CREATE INDEX outlets_brand ON outlets(brand_id);
CREATE INDEX people_roster_stroke ON people(sort_stroke, search_text, left_on, category, flowing, outlet_id,
                                            organization_id);
CREATE INDEX people_roster_pinyin ON people(sort_pinyin, search_text, left_on, category, flowing, outlet_id,
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
COMMIT;
