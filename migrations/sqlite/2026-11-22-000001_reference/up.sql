-- Reference data: GB/T 2260 divisions, the milestone catalogue, plans, indicators, plan targets
-- and which milestone types each indicator counts. Rows are seeded by the application from its
-- embedded copy of data/reference/*.csv right after migrations run.
CREATE TABLE divisions (
    code TEXT PRIMARY KEY NOT NULL CHECK (length(code) = 6),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county')),
    parent_code TEXT REFERENCES divisions (code),
    sort_order INTEGER NOT NULL
);
CREATE INDEX divisions_parent_idx ON divisions (parent_code);

CREATE TABLE milestone_types (
    code TEXT PRIMARY KEY NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    levels TEXT NOT NULL,
    multiplicity TEXT NOT NULL CHECK (multiplicity IN ('one', 'one_per_level', 'many')),
    exclusive_group TEXT,
    validity_years INTEGER CHECK (validity_years IS NULL OR validity_years > 0),
    recognised_by TEXT NOT NULL,
    sort_order INTEGER NOT NULL
);

CREATE TABLE plans (
    code TEXT PRIMARY KEY NOT NULL,
    name_zh TEXT NOT NULL,
    issued TEXT NOT NULL,
    sort_order INTEGER NOT NULL
);

CREATE TABLE indicators (
    plan_code TEXT NOT NULL REFERENCES plans (code),
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    unit TEXT NOT NULL CHECK (unit IN ('家', '个')),
    kind TEXT NOT NULL CHECK (kind IN ('cumulative', 'increment')),
    baseline_year INTEGER,
    baseline_value BIGINT,
    sort_order INTEGER NOT NULL,
    PRIMARY KEY (plan_code, code)
);

CREATE TABLE plan_targets (
    plan_code TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    seq INTEGER NOT NULL,
    target_year INTEGER,
    target_value BIGINT NOT NULL CHECK (target_value >= 0),
    source_quote TEXT NOT NULL,
    PRIMARY KEY (plan_code, indicator_code, seq),
    FOREIGN KEY (plan_code, indicator_code) REFERENCES indicators (plan_code, code)
);

CREATE TABLE indicator_sources (
    plan_code TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    milestone_type TEXT NOT NULL REFERENCES milestone_types (code),
    levels TEXT NOT NULL,
    PRIMARY KEY (plan_code, indicator_code, milestone_type),
    FOREIGN KEY (plan_code, indicator_code) REFERENCES indicators (plan_code, code)
);
