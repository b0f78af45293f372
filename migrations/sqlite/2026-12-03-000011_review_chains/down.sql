PRAGMA foreign_keys = OFF;
BEGIN;
ALTER TABLE milestone_history DROP COLUMN stage;
CREATE TABLE milestones_new (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    milestone_type TEXT NOT NULL REFERENCES milestone_types (code),
    level TEXT,
    effective_on DATE NOT NULL,
    title TEXT NOT NULL,
    details TEXT,
    evidence TEXT,
    county_code TEXT NOT NULL REFERENCES divisions (code),
    city_code TEXT NOT NULL REFERENCES divisions (code),
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'approved', 'rejected', 'withdrawn', 'revoked')),
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    decided_at TIMESTAMP,
    decided_by TEXT,
    comment TEXT,
    approved_at TIMESTAMP,
    revoked_at TIMESTAMP,
    revoked_effective_on DATE,
    ended_on DATE
);
-- Records in 公示 go back to awaiting review (the old workflow has no such state).
INSERT INTO milestones_new (id, enterprise_id, milestone_type, level, effective_on, title, details, evidence, county_code, city_code, state, version, created_by, created_at, updated_at, submitted_at, decided_at, decided_by, comment, approved_at, revoked_at, revoked_effective_on, ended_on)
SELECT id, enterprise_id, milestone_type, level, effective_on, title, details, evidence, county_code, city_code, CASE WHEN state = 'publicised' THEN 'submitted' ELSE state END, version, created_by, created_at, updated_at, submitted_at, decided_at, decided_by, comment, approved_at, revoked_at, revoked_effective_on, ended_on
FROM milestones;
DROP TABLE milestones;
ALTER TABLE milestones_new RENAME TO milestones;
CREATE INDEX milestones_enterprise_idx ON milestones (enterprise_id, milestone_type);
CREATE INDEX milestones_city_state_idx ON milestones (city_code, state, id);
CREATE INDEX milestones_state_idx ON milestones (state, id);
CREATE INDEX milestones_county_idx ON milestones (county_code, id);
CREATE INDEX milestones_type_idx ON milestones (milestone_type, state, effective_on);
CREATE INDEX milestones_pending_idx ON milestones (state, milestone_type, level, county_code, city_code);
ALTER TABLE milestone_types DROP COLUMN publicity_days;
ALTER TABLE milestone_types DROP COLUMN review_chain;
COMMIT;
PRAGMA foreign_keys = ON;
