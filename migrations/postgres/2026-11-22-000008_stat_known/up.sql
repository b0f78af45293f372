-- Knowledge-time aggregate behind /stats/progress with a past known_at. stat_known holds, per
-- tracked indicator, region (as in stat_daily) and start year, how the daily change in the count
-- *as known* changed at each moment knowledge changed (an approval, or the recording of a
-- revocation). Unlike stat_daily, start year 0 holds only what the all-records count adds to the
-- sum of the start years (usually nothing): the cumulative figure at (D, T) is the sum of delta
-- over every start year, day <= D and known_at <= T; the increment the same for start year Y.
-- Rows are only ever added (several rows may share a key: their sum is what counts). Kept in step
-- by the approval and revocation transactions.
CREATE TABLE stat_known (
    plan_code TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    start_year INTEGER NOT NULL,
    day DATE NOT NULL,
    known_at TIMESTAMP NOT NULL,
    delta BIGINT NOT NULL
);

-- Covers the reads: one range of known_at per region. The rebuild drops and re-creates it
-- (src/stats/fast/known.rs holds the same definition).
CREATE INDEX stat_known_lookup_idx
    ON stat_known (plan_code, indicator_code, region_code, known_at, start_year, day, delta);

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
    PRIMARY KEY (plan_code, indicator_code, region_code, known_year, start_year, day)
)
;
