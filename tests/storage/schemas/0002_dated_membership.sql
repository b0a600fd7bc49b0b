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
INSERT INTO "audit_log" VALUES(1,1,'2026-12-01T11:18:10','测试','insert','organizations',1,'示例党支部',NULL,NULL,'{"name": "示例党支部", "norm_name": "示例党支部", "type": "党支部"}');
INSERT INTO "audit_log" VALUES(2,2,'2026-12-01T11:18:10','测试','insert','brands',1,'极兔速递',NULL,NULL,'{"name": "极兔速递", "norm_name": "极兔"}');
INSERT INTO "audit_log" VALUES(3,2,'2026-12-01T11:18:10','测试','insert','outlets',1,'沙河网点',NULL,NULL,'{"name": "沙河网点", "brand_id": 1, "organization_id": 1, "norm_name": "沙河网点"}');
INSERT INTO "audit_log" VALUES(4,3,'2026-12-01T11:18:10','测试','insert','brands',2,'中通快递',NULL,NULL,'{"name": "中通快递", "norm_name": "中通"}');
INSERT INTO "audit_log" VALUES(5,3,'2026-12-01T11:18:10','测试','insert','outlets',2,'春熙路网点',NULL,NULL,'{"name": "春熙路网点", "brand_id": 2, "norm_name": "春熙路网点"}');
INSERT INTO "audit_log" VALUES(6,4,'2026-12-01T11:18:10','测试','insert','people',1,'张三',NULL,NULL,'{"name": "张三", "id_number": "510104198503154210", "category": "正式党员", "joined_on": "2010-07", "managed_from": "2026-01-05", "managed_how": "摸排新纳入", "birth_date": "1985-03-15", "gender": "男", "outlet_id": 1, "updated_at": "2026-12-01T11:18:10", "created_at": "2026-12-01T11:18:10"}');
INSERT INTO "audit_log" VALUES(7,5,'2026-12-01T11:18:11','测试','insert','person_states',1,'张三',NULL,NULL,'{"person_id": 1, "valid_from": "2026-01-05", "valid_to": "2026-11-10", "outlet_id": 1, "relation": "在册", "status": "正常", "lost_contact": 0}');
INSERT INTO "audit_log" VALUES(8,5,'2026-12-01T11:18:11','测试','update','people',1,'张三','outlet_id','1','2');
INSERT INTO "audit_log" VALUES(9,5,'2026-12-01T11:18:11','测试','update','people',1,'张三','state_from',NULL,'2026-11-10');
CREATE TABLE brands (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    norm_name TEXT NOT NULL UNIQUE
);
INSERT INTO "brands" VALUES(1,'极兔速递','极兔');
INSERT INTO "brands" VALUES(2,'中通快递','中通');
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
);
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
CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);
INSERT INTO "migrations" VALUES('0001_initial','2026-12-01T11:18:10');
INSERT INTO "migrations" VALUES('0002_dated_membership','2026-12-01T11:18:10');
CREATE TABLE operations (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    action TEXT NOT NULL,
    summary TEXT
);
INSERT INTO "operations" VALUES(1,'2026-12-01T11:18:10','测试','org.add','新增党组织 示例党支部');
INSERT INTO "operations" VALUES(2,'2026-12-01T11:18:10','测试','outlet.add','新增网点 沙河网点');
INSERT INTO "operations" VALUES(3,'2026-12-01T11:18:10','测试','outlet.add','新增网点 春熙路网点');
INSERT INTO "operations" VALUES(4,'2026-12-01T11:18:10','测试','person.add','新增人员 张三');
INSERT INTO "operations" VALUES(5,'2026-12-01T11:18:11','测试','person.edit','修改人员 张三');
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
INSERT INTO "outlets" VALUES(2,'春熙路网点','春熙路网点',2,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
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
, relation TEXT NOT NULL DEFAULT '在册' CHECK (relation IN ('在册','流入','流出','待核实')), managed_from TEXT, managed_how TEXT, state_from TEXT, left_how TEXT, flow_destination TEXT, flow_left_on TEXT, flow_contact TEXT);
INSERT INTO "people" VALUES(1,'510104198503154210','张三','男',NULL,'1985-03-15',NULL,NULL,NULL,NULL,NULL,2,NULL,NULL,NULL,'正式党员',NULL,NULL,NULL,NULL,'2010-07',NULL,NULL,NULL,NULL,0,NULL,NULL,NULL,NULL,'正常',0,NULL,NULL,NULL,NULL,NULL,'075153154zhang1_005F20!03111san1___004E09','zhang1_07005F20!san1___03004E09','张三510104198503154210zhangsanzs','2026-12-01T11:18:10','2026-12-01T11:18:11','在册','2026-01-05','摸排新纳入','2026-11-10',NULL,NULL,NULL,NULL);
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
INSERT INTO "person_states" VALUES(1,1,'2026-01-05','2026-11-10',NULL,1,'在册','正常',0);
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
CREATE INDEX people_stats ON people(outlet_id, category, relation, status, lost_contact, left_on, managed_from,
                                    state_from, organization_id, applied_on, activist_on, target_on, joined_on,
                                    full_on, extension_months);
COMMIT;
