"""Tables of migration 0004 for volunteer posts, who claimed them, activities with many participants, points rules."""

# Posts (岗位) are named posts of a kind (registry.rules.volunteer_kinds.POST_KINDS), possibly for one branch,
# outlet or area; closed_on set: closed, no new claims. A claim is dated (since … until; until NULL: held now),
# one person may hold several posts. An activity is one event with many participants: each participant is a
# volunteer_records row (hours, points) pointing at it. Records made before activities existed become one-person
# activities here, activity id = record id (the table is empty when this runs), so every record has an activity.
# Points rule versions apply from valid_from (see registry.rules.volunteer_points); a record keeps the text of
# the version that gave its points in points_rule (NULL: points typed by hand, as every older record's were).
SCHEMA = """
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
CREATE TABLE volunteer_claims (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES volunteer_posts(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    since TEXT NOT NULL,
    until TEXT,
    notes TEXT
);
CREATE INDEX volunteer_claims_post ON volunteer_claims(post_id, since);
CREATE INDEX volunteer_claims_person ON volunteer_claims(person_id);
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
CREATE INDEX volunteer_activities_day ON volunteer_activities(held_on);
CREATE TABLE volunteer_point_rules (
    id INTEGER PRIMARY KEY,
    valid_from TEXT NOT NULL UNIQUE,
    per_hour REAL NOT NULL DEFAULT 0,
    per_activity REAL NOT NULL DEFAULT 0,
    by_type TEXT NOT NULL DEFAULT '{}',
    notes TEXT
);
ALTER TABLE volunteer_records ADD COLUMN activity_id INTEGER REFERENCES volunteer_activities(id) ON DELETE CASCADE;
ALTER TABLE volunteer_records ADD COLUMN adjustment REAL NOT NULL DEFAULT 0;
ALTER TABLE volunteer_records ADD COLUMN adjustment_reason TEXT;
ALTER TABLE volunteer_records ADD COLUMN points_rule TEXT;
INSERT INTO volunteer_activities (id, title, kind, held_on, organization_id, default_hours, notes)
    SELECT v.id, v.post, '志愿服务', v.served_on, p.organization_id, v.hours, NULL
    FROM volunteer_records v JOIN people p ON p.id = v.person_id;
UPDATE volunteer_records SET activity_id = id;
CREATE INDEX volunteer_records_activity ON volunteer_records(activity_id)
"""
