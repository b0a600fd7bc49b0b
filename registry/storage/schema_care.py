"""Tables of migration 0004 for the care network: stations (暖蜂驿站, 江城蜂巢 …) with their services and visitors, merchants and streets."""

# Station types and services: the defaults are data in registry/rules/care.py and are offered without being
# written here; a row is a type or service the user added (audited). A station keeps its services as one
# text joined by 、 so that a change is one field in the audit log; community_key is the 社区 reduced for
# comparing (registry.rules.care.community_key), so 武车社区 and 武车 are the same 社区.
# A flowing member's 报到 names the point: report_station_id while the station exists, report_point the name
# as it was when she reported (kept when the station is deleted).
SCHEMA = """
CREATE TABLE care_types (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    norm_name TEXT NOT NULL UNIQUE,
    uses_class INTEGER NOT NULL DEFAULT 0 CHECK (uses_class IN (0,1))
);
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
CREATE UNIQUE INDEX care_stations_identity ON care_stations(norm_name, community_key);
CREATE INDEX care_stations_community ON care_stations(community_key);
CREATE TABLE care_visits (
    id INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES care_stations(id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count >= 0),
    UNIQUE (station_id, month)
);
CREATE TABLE care_streets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    norm_name TEXT NOT NULL,
    district TEXT,
    street TEXT,
    street_key TEXT NOT NULL DEFAULT '',
    notes TEXT
);
CREATE UNIQUE INDEX care_streets_identity ON care_streets(norm_name, street_key);
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
CREATE UNIQUE INDEX care_merchants_identity ON care_merchants(norm_name, community_key);
ALTER TABLE people ADD COLUMN report_station_id INTEGER REFERENCES care_stations(id) ON DELETE SET NULL;
ALTER TABLE people ADD COLUMN report_point TEXT
"""
