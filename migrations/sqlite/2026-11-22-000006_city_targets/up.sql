-- Per-city targets of an indicator for a year, set by the province (§3.5). The province-wide
-- target stays the plan's own (plan_targets); the API shows the sum of these beside it.
CREATE TABLE city_targets (
    plan_code TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES divisions (code),
    value BIGINT NOT NULL CHECK (value >= 0),
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (plan_code, indicator_code, year, region_code),
    FOREIGN KEY (plan_code, indicator_code) REFERENCES indicators (plan_code, code)
);
