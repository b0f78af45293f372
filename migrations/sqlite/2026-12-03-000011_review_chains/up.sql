-- Review chains and 公示 (§3.7). A type's chain (`city>province`) and 公示 length in working
-- days; null until the start-up seeding fills them from the embedded catalogue (types the
-- province added are then `city`, 0), after which the province's changes are kept.
PRAGMA foreign_keys = OFF;
BEGIN;
ALTER TABLE milestone_types ADD COLUMN review_chain TEXT;
ALTER TABLE milestone_types ADD COLUMN publicity_days INTEGER CHECK (publicity_days BETWEEN 0 AND 30);

-- A record keeps the chain and days it was submitted under, the stage it waits at while
-- submitted, its 公示 period, and the final approver's 文号 and batch. A record submitted before
-- chains existed was reviewed by its city alone. SQLite cannot change a CHECK constraint, so the
-- table is rebuilt, with foreign keys off (they cannot be switched inside a transaction, hence
-- `run_in_transaction = false` in metadata.toml).
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
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'publicised', 'approved', 'rejected', 'withdrawn', 'revoked')),
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
    ended_on DATE,
    review_chain TEXT,
    publicity_days INTEGER,
    stage TEXT CHECK (stage IN ('county', 'city', 'province')),
    publicity_starts_on DATE,
    publicity_ends_on DATE,
    document_no TEXT,
    batch TEXT
);
INSERT INTO milestones_new (id, enterprise_id, milestone_type, level, effective_on, title, details, evidence, county_code, city_code, state, version, created_by, created_at, updated_at, submitted_at, decided_at, decided_by, comment, approved_at, revoked_at, revoked_effective_on, ended_on, review_chain, publicity_days, stage)
SELECT id, enterprise_id, milestone_type, level, effective_on, title, details, evidence, county_code, city_code, state, version, created_by, created_at, updated_at, submitted_at, decided_at, decided_by, comment, approved_at, revoked_at, revoked_effective_on, ended_on,
    CASE WHEN submitted_at IS NOT NULL THEN 'city' END,
    CASE WHEN submitted_at IS NOT NULL THEN 0 END,
    CASE WHEN state = 'submitted' THEN 'city' END
FROM milestones;
DROP TABLE milestones;
ALTER TABLE milestones_new RENAME TO milestones;
CREATE INDEX milestones_enterprise_idx ON milestones (enterprise_id, milestone_type);
CREATE INDEX milestones_city_state_idx ON milestones (city_code, state, id);
CREATE INDEX milestones_state_idx ON milestones (state, id);
CREATE INDEX milestones_county_idx ON milestones (county_code, id);
CREATE INDEX milestones_type_idx ON milestones (milestone_type, state, effective_on);
CREATE INDEX milestones_pending_idx ON milestones (state, milestone_type, level, county_code, city_code);

-- The stage a `recommend` (or any stage decision) was taken at.
ALTER TABLE milestone_history ADD COLUMN stage TEXT;
-- With foreign keys off nothing checked the copy: refuse to commit one that breaks a reference.
CREATE TEMP TABLE migration_fk_check (violations INTEGER NOT NULL CHECK (violations = 0));
INSERT INTO migration_fk_check SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE migration_fk_check;
COMMIT;
PRAGMA foreign_keys = ON;
