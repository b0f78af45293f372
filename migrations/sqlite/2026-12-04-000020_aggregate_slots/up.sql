-- Slots for the shared rows of the statistics aggregates (issue 19; see the PostgreSQL tree).
-- SQLite has one writer, so the service writes slot 0 only here (nothing to fold); the column
-- keeps the schema one for both backends. A key changes only by rebuilding the table.
CREATE TABLE stat_daily_new (
    plan_code TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    start_year INTEGER NOT NULL,
    day DATE NOT NULL,
    delta BIGINT NOT NULL,
    slot SMALLINT NOT NULL DEFAULT 0 CHECK (slot >= 0 AND slot < 32),
    PRIMARY KEY (plan_code, indicator_code, region_code, start_year, day, slot)
);
INSERT INTO stat_daily_new (plan_code, indicator_code, region_code, start_year, day, delta, slot)
    SELECT plan_code, indicator_code, region_code, start_year, day, delta, 0 FROM stat_daily;
DROP TABLE stat_daily;
ALTER TABLE stat_daily_new RENAME TO stat_daily;

CREATE TABLE stat_known_year_new (
    plan_code TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    start_year INTEGER NOT NULL,
    known_year INTEGER NOT NULL,
    day DATE NOT NULL,
    delta BIGINT NOT NULL,
    slot SMALLINT NOT NULL DEFAULT 0 CHECK (slot >= 0 AND slot < 32),
    PRIMARY KEY (plan_code, indicator_code, region_code, known_year, start_year, day, slot)
) WITHOUT ROWID;
INSERT INTO stat_known_year_new (plan_code, indicator_code, region_code, start_year, known_year, day, delta, slot)
    SELECT plan_code, indicator_code, region_code, start_year, known_year, day, delta, 0 FROM stat_known_year;
DROP TABLE stat_known_year;
ALTER TABLE stat_known_year_new RENAME TO stat_known_year;
