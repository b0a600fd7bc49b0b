"""Tables of migration 0004 for 党费: each member's monthly base and rate, the months paid."""

# Money is stored as decimal text with two places ("42.00", in 元): it reads as it is in the audit log and is
# summed exactly with Decimal, never as floating point.
# dues_bases: from the month `from_month` on (until the member's next row), the class of payer, the monthly base
# (税后月收入, NULL for the flat classes), the monthly amount owed and, when it is below the rate (少交/免交 by the
# branch's decision, 2008 rules 第七条), the reason; `pays_at` says whether she pays here or to the organisation
# holding her relationship (流入 members, 第九条), in which case nothing is owed here.
# dues_payments: one payment covering the months first_month..last_month, paid on paid_on.
SCHEMA = """
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
CREATE INDEX dues_payments_person ON dues_payments(person_id, first_month);
CREATE INDEX dues_payments_paid ON dues_payments(paid_on)
"""
