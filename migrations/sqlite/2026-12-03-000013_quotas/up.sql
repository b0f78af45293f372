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
