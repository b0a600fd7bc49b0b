"""Tables of migration 0004 for meetings in full (planned and held, minutes, attachments by reference), 党小组 and their members, a branch's committee and 党课 settings."""

# meetings gain: 计划/已召开, 主持人, 记录人, minutes, the 党小组 of a 党小组会. Attendance gains the reason for
# 请假/缺席, the 民主评议 grade, and the reason an attendee who is not the branch's member was accepted anyway.
# Attachments are kept by reference (path, name, size, sha256): the file itself is never copied in.
# party_groups: a branch's 党小组, dated (since / until); party_group_members: who is in which group since when.
# org_life_settings: per branch, whether it has a 支部委员会 (自动: 7 or more 正式党员), 党课 per year, and the
# first day its organisational life is kept in these records (nothing before it is owed here).
SCHEMA = """
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
CREATE TABLE party_group_members (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES party_groups(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    since TEXT,
    until TEXT
);
CREATE INDEX party_group_members_group ON party_group_members(group_id, person_id);
CREATE INDEX party_group_members_person ON party_group_members(person_id);
ALTER TABLE meetings ADD COLUMN status TEXT NOT NULL DEFAULT '已召开' CHECK (status IN ('计划','已召开'));
ALTER TABLE meetings ADD COLUMN host TEXT;
ALTER TABLE meetings ADD COLUMN recorder TEXT;
ALTER TABLE meetings ADD COLUMN minutes TEXT;
ALTER TABLE meetings ADD COLUMN group_id INTEGER REFERENCES party_groups(id) ON DELETE SET NULL;
ALTER TABLE meeting_attendance ADD COLUMN reason TEXT;
ALTER TABLE meeting_attendance ADD COLUMN grade TEXT CHECK (grade IS NULL OR grade IN ('优秀','合格','基本合格','不合格'));
ALTER TABLE meeting_attendance ADD COLUMN override_reason TEXT;
CREATE TABLE meeting_attachments (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER,
    sha256 TEXT
);
CREATE INDEX meeting_attachments_meeting ON meeting_attachments(meeting_id);
CREATE TABLE org_life_settings (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL UNIQUE REFERENCES organizations(id) ON DELETE CASCADE,
    committee TEXT NOT NULL DEFAULT '自动' CHECK (committee IN ('自动','有','无')),
    lessons_per_year INTEGER NOT NULL DEFAULT 1 CHECK (lessons_per_year IN (1, 2, 4, 12)),
    records_from TEXT
);
"""
