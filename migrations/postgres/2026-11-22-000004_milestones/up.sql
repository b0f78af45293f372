-- Milestone records and their transition history. County and city are copied from the
-- enterprise at submission, so statistics keep attributing a record to where it was reported.
CREATE TABLE milestones (
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
CREATE INDEX milestones_enterprise_idx ON milestones (enterprise_id, milestone_type);
CREATE INDEX milestones_city_state_idx ON milestones (city_code, state, id);
CREATE INDEX milestones_state_idx ON milestones (state, id);
CREATE INDEX milestones_county_idx ON milestones (county_code, id);
CREATE INDEX milestones_type_idx ON milestones (milestone_type, state, effective_on);

CREATE TABLE milestone_history (
    id TEXT PRIMARY KEY NOT NULL,
    milestone_id TEXT NOT NULL REFERENCES milestones (id),
    seq INTEGER NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    comment TEXT,
    effective_on DATE,
    UNIQUE (milestone_id, seq)
);
