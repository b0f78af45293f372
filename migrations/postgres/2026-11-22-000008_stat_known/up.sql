-- Knowledge-time aggregate behind /stats/progress with a past known_at. stat_known holds, per
-- tracked indicator, region and start year (as in stat_daily), how the daily change in the count
-- *as known* changed at each moment knowledge changed (an approval, or the recording of a
-- revocation): the figure at (D, T) is the sum of delta over day <= D and known_at <= T. Rows are
-- only ever added (several rows may share a key: their sum is what counts). Kept in step by the
-- approval and revocation transactions.
CREATE TABLE stat_known (
    plan_code TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    start_year INTEGER NOT NULL,
    day DATE NOT NULL,
    known_at TIMESTAMP NOT NULL,
    delta BIGINT NOT NULL
);

-- Covers the reads: one range of known_at per region and start year.
CREATE INDEX stat_known_lookup_idx
    ON stat_known (plan_code, indicator_code, region_code, start_year, known_at, day, delta);

-- The same rows summed per calendar year (UTC) of known_at, by day: a figure as known at T adds
-- the years before T's and the raw rows of T's own year up to T.
CREATE TABLE stat_known_year (
    plan_code TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    start_year INTEGER NOT NULL,
    known_year INTEGER NOT NULL,
    day DATE NOT NULL,
    delta BIGINT NOT NULL,
    PRIMARY KEY (plan_code, indicator_code, region_code, start_year, known_year, day)
)
;
