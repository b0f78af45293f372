-- Maintained aggregate behind /stats/progress at the current knowledge time: for every tracked
-- indicator and region (county, city, and the province 330000), the change in the number of
-- counted entities (records for 个, enterprises for 家) on each day. start_year 0 covers every
-- record (cumulative); start_year Y only records that took effect in Y (increment). A figure at
-- D is the sum of delta over day <= D. Kept in step by the approval and revocation transactions.
CREATE TABLE stat_daily (
    plan_code TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    start_year INTEGER NOT NULL,
    day DATE NOT NULL,
    delta BIGINT NOT NULL,
    PRIMARY KEY (plan_code, indicator_code, region_code, start_year, day)
);

-- Pending counts per region read only this index.
CREATE INDEX milestones_pending_idx ON milestones (state, milestone_type, level, county_code, city_code);

-- Bumped by every change that can alter a statistic (transitions, targets, rebuilds): instances
-- cache current-knowledge tables per generation.
CREATE TABLE stat_generation (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO stat_generation (id, n) VALUES (1, 0);
