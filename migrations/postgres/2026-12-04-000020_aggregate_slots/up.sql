-- Slots for the shared rows of the statistics aggregates (issue 19): the province's and a
-- city's row of one (indicator, start year, day) was the row every approval of that day waited
-- on until the other's commit. A write now adds its delta to one of 8 slots of such a row, chosen
-- at random (county rows keep slot 0: few writes meet on one); readers sum over the slots, as
-- they already summed over days. Existing rows become slot 0, so every figure is unchanged.
ALTER TABLE stat_daily ADD COLUMN slot SMALLINT NOT NULL DEFAULT 0 CHECK (slot >= 0 AND slot < 8);
ALTER TABLE stat_daily DROP CONSTRAINT stat_daily_pkey;
ALTER TABLE stat_daily ADD PRIMARY KEY (plan_code, indicator_code, region_code, start_year, day, slot);

ALTER TABLE stat_known_year ADD COLUMN slot SMALLINT NOT NULL DEFAULT 0 CHECK (slot >= 0 AND slot < 8);
ALTER TABLE stat_known_year DROP CONSTRAINT stat_known_year_pkey;
ALTER TABLE stat_known_year ADD PRIMARY KEY (plan_code, indicator_code, region_code, known_year, start_year, day, slot);
