-- Folds every slot into slot 0 and restores the keys without slots.
CREATE TABLE stat_daily_old (
    plan_code TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    start_year INTEGER NOT NULL,
    day DATE NOT NULL,
    delta BIGINT NOT NULL,
    PRIMARY KEY (plan_code, indicator_code, region_code, start_year, day)
);
INSERT INTO stat_daily_old (plan_code, indicator_code, region_code, start_year, day, delta)
    SELECT plan_code, indicator_code, region_code, start_year, day, SUM(delta) FROM stat_daily
    GROUP BY plan_code, indicator_code, region_code, start_year, day;
DROP TABLE stat_daily;
ALTER TABLE stat_daily_old RENAME TO stat_daily;

CREATE TABLE stat_known_year_old (
    plan_code TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    start_year INTEGER NOT NULL,
    known_year INTEGER NOT NULL,
    day DATE NOT NULL,
    delta BIGINT NOT NULL,
    PRIMARY KEY (plan_code, indicator_code, region_code, known_year, start_year, day)
) WITHOUT ROWID;
INSERT INTO stat_known_year_old (plan_code, indicator_code, region_code, start_year, known_year, day, delta)
    SELECT plan_code, indicator_code, region_code, start_year, known_year, day, SUM(delta) FROM stat_known_year
    GROUP BY plan_code, indicator_code, region_code, start_year, known_year, day;
DROP TABLE stat_known_year;
ALTER TABLE stat_known_year_old RENAME TO stat_known_year;
