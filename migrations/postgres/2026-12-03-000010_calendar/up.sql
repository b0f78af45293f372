-- The working-day calendar (§3.7): weekday holidays and make-up working weekends (调休), one row
-- per listed date; every other date follows the Monday–Friday rule. Seeded at start-up from the
-- State Council schedules the binary carries (data/reference/cn_calendar.csv) and maintained by
-- the province through the API. `updated_by` is null for rows from the embedded schedules.
CREATE TABLE calendar_days (
    day DATE PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT
);

-- Every date the embedded schedules have ever seeded: seeding skips these, so an entry the
-- province deleted or changed is not brought back at the next start.
CREATE TABLE calendar_seeded (
    day DATE PRIMARY KEY
);
