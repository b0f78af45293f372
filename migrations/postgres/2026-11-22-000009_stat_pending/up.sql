-- Records awaiting review (state 'submitted') counted by type, level ('' for types without
-- levels), county and city: the pending column of /stats/progress reads these few hundred rows
-- instead of counting the records, which after a day of submissions and approvals cost up to
-- 200 ms on PostgreSQL (docs/BENCHMARKS.md). Kept in step by every transition into or out of
-- 'submitted', in its transaction; filled here from the records already stored.
CREATE TABLE stat_pending (
    milestone_type TEXT NOT NULL,
    level TEXT NOT NULL,
    county_code TEXT NOT NULL,
    city_code TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (milestone_type, level, county_code, city_code)
);

INSERT INTO stat_pending (milestone_type, level, county_code, city_code, n)
SELECT milestone_type, COALESCE(level, ''), county_code, city_code, COUNT(*)
FROM milestones
WHERE state = 'submitted'
GROUP BY milestone_type, COALESCE(level, ''), county_code, city_code;
