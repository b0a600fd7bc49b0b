"""Named schema migrations, applied in order on open, each inside one transaction."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import datetime

CATEGORY_CHECK = "category IN ('群众','入党申请人','入党积极分子','发展对象','预备党员','正式党员')"

V1_SCHEMA = f"""
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE operations (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    action TEXT NOT NULL,
    summary TEXT
);
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
CREATE INDEX audit_log_operation ON audit_log(operation_id);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
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
CREATE INDEX organizations_parent ON organizations(parent_id);
CREATE TABLE brands (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    norm_name TEXT NOT NULL UNIQUE
);
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
CREATE UNIQUE INDEX outlets_identity ON outlets(norm_name, ifnull(brand_id, 0));
CREATE INDEX outlets_organization ON outlets(organization_id);
CREATE INDEX outlets_brand ON outlets(brand_id);
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
    category TEXT NOT NULL DEFAULT '群众' CHECK ({CATEGORY_CHECK}),
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
);
-- Covering indexes: the roster in either order and the statistics are answered from the index alone,
-- without touching the wide rows (a full scan of 100,000 rows is ~250 ms, the index ~20 ms).
CREATE INDEX people_roster_stroke ON people(sort_stroke, search_text, left_on, category, flowing, outlet_id,
                                            organization_id);
CREATE INDEX people_roster_pinyin ON people(sort_pinyin, search_text, left_on, category, flowing, outlet_id,
                                            organization_id);
CREATE INDEX people_stats ON people(outlet_id, category, flowing, status, lost_contact, left_on, organization_id,
                                    applied_on, activist_on, target_on, joined_on, full_on, extension_months);
CREATE INDEX people_due ON people(category, left_on, applied_on, talked_on, activist_on, joined_on, full_on,
                                  extension_months, lost_contact, lost_since);
CREATE INDEX people_organization ON people(organization_id);
CREATE INDEX people_name ON people(name);
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
);
CREATE INDEX transfers_person ON transfers(person_id);
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    topic TEXT,
    location TEXT,
    notes TEXT
);
CREATE INDEX meetings_org ON meetings(organization_id, held_on);
CREATE TABLE meeting_attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT '出席' CHECK (status IN ('出席','请假','缺席')),
    PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX attendance_person ON meeting_attendance(person_id);
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
CREATE INDEX volunteer_person ON volunteer_records(person_id);
CREATE INDEX volunteer_date ON volunteer_records(served_on);
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
"""


def _run(conn: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1(conn: sqlite3.Connection) -> None:
    _run(conn, V1_SCHEMA)


RELATIONS_CHECK = "relation IN ('在册','流入','流出','待核实')"

# Dated membership (issue 10). A person's current state is on their row; every earlier state of the columns
# that a report counts by (organisation, outlet, relation, 党籍状态, 失联) is a closed span in person_states,
# so that a query at any date reads the row (nearly everyone) or one span (the few who changed since).
V2_SCHEMA = f"""
ALTER TABLE people ADD COLUMN relation TEXT NOT NULL DEFAULT '在册' CHECK ({RELATIONS_CHECK});
UPDATE people SET relation = '流入' WHERE flowing = 1;
ALTER TABLE people ADD COLUMN managed_from TEXT;
ALTER TABLE people ADD COLUMN managed_how TEXT;
ALTER TABLE people ADD COLUMN state_from TEXT;
ALTER TABLE people ADD COLUMN left_how TEXT;
ALTER TABLE people ADD COLUMN flow_destination TEXT;
ALTER TABLE people ADD COLUMN flow_left_on TEXT;
ALTER TABLE people ADD COLUMN flow_contact TEXT;
CREATE TABLE person_states (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    valid_from TEXT,
    valid_to TEXT NOT NULL,
    organization_id INTEGER REFERENCES organizations(id),
    outlet_id INTEGER REFERENCES outlets(id),
    relation TEXT NOT NULL CHECK ({RELATIONS_CHECK}),
    status TEXT NOT NULL,
    lost_contact INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX person_states_person ON person_states(person_id, valid_to);
CREATE INDEX person_states_to ON person_states(valid_to);
ALTER TABLE transfers ADD COLUMN received_on TEXT;
ALTER TABLE transfers ADD COLUMN valid_until TEXT;
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
DROP INDEX people_stats;
CREATE INDEX people_stats ON people(outlet_id, category, relation, status, lost_contact, left_on, managed_from,
                                    state_from, organization_id, applied_on, activist_on, target_on, joined_on,
                                    full_on, extension_months);
"""


def _v2(conn: sqlite3.Connection) -> None:
    _run(conn, V2_SCHEMA)


# The development record (issue 13): every step of the 细则 as a dated row with its validated fields (JSON),
# the 支部大会 it was decided at when that meeting is recorded, and the reason given when a rule was overridden.
# The people's stage-date columns stay the summary that rosters and statistics read; cancelled_on is the day a
# 预备党员's status was cancelled (取消预备党员资格): she is counted as 预备党员 until that day.
V3_SCHEMA = """
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
CREATE INDEX development_steps_person ON development_steps(person_id, step, on_date);
ALTER TABLE people ADD COLUMN cancelled_on TEXT;
DROP INDEX people_stats;
CREATE INDEX people_stats ON people(outlet_id, category, relation, status, lost_contact, left_on, managed_from,
                                    state_from, organization_id, applied_on, activist_on, target_on, joined_on,
                                    full_on, extension_months, cancelled_on);
"""


def _v3(conn: sqlite3.Connection) -> None:
    _run(conn, V3_SCHEMA)


# Organisational life, dues, volunteer posts and the care network (issue 14): each part's tables live in its own
# module, all applied by this one migration.
def _v4(conn: sqlite3.Connection) -> None:
    from registry.storage import schema_care, schema_dues, schema_org_life, schema_volunteer

    for part in (schema_org_life, schema_dues, schema_volunteer, schema_care):
        _run(conn, part.SCHEMA)


# The import batch as the audit event of the people it adds (issue 15): a person added by a census carries the
# batch's id instead of an audit row copying her whole record (a second copy of every ID number and phone);
# the batch keeps its files' hashes and counts, and the range of people ids its bulk insert took, so that an undo
# sees later work on people it added even when one of them was deleted meanwhile. No foreign key: the batch row is
# written in the same transaction, and batches are never deleted.
V5_SCHEMA = """
ALTER TABLE people ADD COLUMN batch_id INTEGER;
ALTER TABLE import_batches ADD COLUMN people_from INTEGER;
ALTER TABLE import_batches ADD COLUMN people_to INTEGER;
"""


def _v5(conn: sqlite3.Connection) -> None:
    _run(conn, V5_SCHEMA)


# Only the indexes the screens need (issue 15): the pinyin-ordered covering index goes. The roster's pinyin order is
# sorted in memory from the stroke-ordered one and a pass over the table (303 ms against 258 ms read from the index
# at 100,000 people, once per change, and only when someone asks for pinyin order), and SQL ordering by pinyin
# without it takes 194 ms. Its ~170-byte entries made it one of the costliest to keep: 5,000 people into 100,000
# wrote 48.6 MB of WAL with it and 32.8 MB without, and the commit took 0.63 s against 0.39 s.
V6_SCHEMA = """
DROP INDEX IF EXISTS people_roster_pinyin;
"""


def _v6(conn: sqlite3.Connection) -> None:
    _run(conn, V6_SCHEMA)


# The same CHECK constraints on people and audit_log, spelled without IN lists. SQLite builds the constant list
# of an IN afresh each time an INSERT runs, so six of them cost a census's bulk insert more than the rest of the
# row: 2.2 s against 1.1 s for 100,000 people (best of 4 each; no checks at all: 1.0 s). `x IN ('a','b')` and
# `x = 'a' OR x = 'b'` accept and refuse the same values (a NULL passes both), so no stored row can fall foul of
# the new text, and only the schema's text changes: SQLite's documented procedure for such changes (schema text
# rewritten under writable_schema, schema_version raised, the schema read again), in the migration's transaction.
_IN_CHECK = re.compile(r"CHECK \((\w+) IN \(([^()]*)\)\)")


def or_checks(sql: str) -> str:
    """A CREATE TABLE's `CHECK (x IN (a, b))` constraints as `CHECK (x = a OR x = b)`."""
    def spelled(m: re.Match[str]) -> str:
        column, values = m.group(1), [v.strip() for v in m.group(2).split(",")]
        return "CHECK (" + " OR ".join(f"{column} = {v}" for v in values) + ")"
    return _IN_CHECK.sub(spelled, sql)


def _v7(conn: sqlite3.Connection) -> None:
    tables = ("people", "audit_log")
    texts = dict(conn.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                              f" AND name IN ({','.join('?' * len(tables))})", tables).fetchall())
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    try:
        for name, sql in texts.items():
            conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (or_checks(sql), name))
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    for name in texts:  # the schema read again now: a text SQLite could not parse fails here, and rolls back
        conn.execute(f"SELECT * FROM {name} LIMIT 0").fetchall()


# Append only: a released migration is never edited, only followed by a new one.
MIGRATIONS: tuple[tuple[str, Callable[[sqlite3.Connection], None]], ...] = (
    ("0001_initial", _v1),
    ("0002_dated_membership", _v2),
    ("0003_development_steps", _v3),
    ("0004_org_life_dues_care", _v4),
    ("0005_import_batch_audit", _v5),
    ("0006_roster_pinyin_in_memory", _v6),
    ("0007_checks_without_in_lists", _v7),
)


def applied(conn: sqlite3.Connection) -> list[str]:
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    return [row[0] for row in conn.execute("SELECT name FROM migrations ORDER BY rowid")]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet applied; return the names applied now."""
    done = set(applied(conn))
    known = {name for name, _ in MIGRATIONS}
    unknown = done - known
    if unknown:
        from registry.errors import UserError

        raise UserError("这个数据库由更新版本的程序创建，请升级本程序后再打开。")
    now_applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now().isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        now_applied.append(name)
    return now_applied
