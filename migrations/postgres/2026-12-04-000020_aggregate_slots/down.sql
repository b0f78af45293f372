-- Folds every slot into slot 0 and restores the keys without slots.
DROP INDEX stat_daily_unfolded_idx;
DROP INDEX stat_known_year_unfolded_idx;
CREATE TEMPORARY TABLE folded_daily AS
    SELECT plan_code, indicator_code, region_code, start_year, day, SUM(delta)::BIGINT AS delta
    FROM stat_daily GROUP BY plan_code, indicator_code, region_code, start_year, day;
DELETE FROM stat_daily;
ALTER TABLE stat_daily DROP CONSTRAINT stat_daily_pkey;
ALTER TABLE stat_daily DROP COLUMN slot;
INSERT INTO stat_daily (plan_code, indicator_code, region_code, start_year, day, delta)
    SELECT plan_code, indicator_code, region_code, start_year, day, delta FROM folded_daily;
ALTER TABLE stat_daily ADD PRIMARY KEY (plan_code, indicator_code, region_code, start_year, day);
DROP TABLE folded_daily;

CREATE TEMPORARY TABLE folded_years AS
    SELECT plan_code, indicator_code, region_code, start_year, known_year, day, SUM(delta)::BIGINT AS delta
    FROM stat_known_year GROUP BY plan_code, indicator_code, region_code, start_year, known_year, day;
DELETE FROM stat_known_year;
ALTER TABLE stat_known_year DROP CONSTRAINT stat_known_year_pkey;
ALTER TABLE stat_known_year DROP COLUMN slot;
INSERT INTO stat_known_year (plan_code, indicator_code, region_code, start_year, known_year, day, delta)
    SELECT plan_code, indicator_code, region_code, start_year, known_year, day, delta FROM folded_years;
ALTER TABLE stat_known_year ADD PRIMARY KEY (plan_code, indicator_code, region_code, known_year, start_year, day);
DROP TABLE folded_years;
