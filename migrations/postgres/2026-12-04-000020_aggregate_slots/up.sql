-- Slots for the statistics aggregates' rows (issue 19): the province's and a city's row of one
-- (indicator, start year, day) was the row every approval of that day waited on until the
-- other's commit. A write now adds its deltas to one of 32 slots of its rows, drawn at random;
-- readers sum over the slots, as they already summed over days; every 10 s the service folds the
-- slots back into slot 0 (stats::aggregates::slots), so the rows a statistic reads do not grow.
-- Existing rows become slot 0, so every figure is unchanged.
ALTER TABLE stat_daily ADD COLUMN slot SMALLINT NOT NULL DEFAULT 0 CHECK (slot >= 0 AND slot < 32);
ALTER TABLE stat_daily DROP CONSTRAINT stat_daily_pkey;
ALTER TABLE stat_daily ADD PRIMARY KEY (plan_code, indicator_code, region_code, start_year, day, slot);
-- What the fold looks for: only rows not folded yet.
CREATE INDEX stat_daily_unfolded_idx ON stat_daily (slot) WHERE slot > 0;

ALTER TABLE stat_known_year ADD COLUMN slot SMALLINT NOT NULL DEFAULT 0 CHECK (slot >= 0 AND slot < 32);
ALTER TABLE stat_known_year DROP CONSTRAINT stat_known_year_pkey;
ALTER TABLE stat_known_year ADD PRIMARY KEY (plan_code, indicator_code, region_code, known_year, start_year, day, slot);
CREATE INDEX stat_known_year_unfolded_idx ON stat_known_year (slot) WHERE slot > 0;
