-- Quotas (推荐名额, DESIGN §3.7): how many records of a type each city may recommend to the
-- province stage in a year. No row = no cap.
CREATE TABLE review_quotas (
    milestone_type TEXT NOT NULL REFERENCES milestone_types (code),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    city_code TEXT NOT NULL REFERENCES divisions (code),
    value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 100000),
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (milestone_type, year, city_code)
);

-- A recommendation into the province stage: its day (Asia/Shanghai; the quota's year) and the
-- recommending stage's priority (1 = first), cleared when the record starts its chain again.
ALTER TABLE milestones ADD COLUMN recommended_on DATE;
ALTER TABLE milestones ADD COLUMN priority INTEGER CHECK (priority BETWEEN 1 AND 100000);
CREATE INDEX milestones_recommended ON milestones (milestone_type, city_code, recommended_on)
    WHERE recommended_on IS NOT NULL;

-- 公示中 beside pending (§3.7): records `publicised` now, counted in the rows that count the
-- records awaiting review, kept in step by the same transitions (and finalisation).
ALTER TABLE stat_pending ADD COLUMN publicised BIGINT NOT NULL DEFAULT 0;
DELETE FROM stat_pending;
INSERT INTO stat_pending (milestone_type, level, county_code, city_code, n, publicised)
SELECT milestone_type, COALESCE(level, ''), county_code, city_code,
       SUM(CASE WHEN state = 'submitted' THEN 1 ELSE 0 END),
       SUM(CASE WHEN state = 'publicised' THEN 1 ELSE 0 END)
FROM milestones
WHERE state IN ('submitted', 'publicised')
GROUP BY milestone_type, COALESCE(level, ''), county_code, city_code;
