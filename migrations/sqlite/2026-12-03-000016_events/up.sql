-- The event outbox (DESIGN §3.10): one row per state change, written in the change's
-- transaction with no `seq`; a single assigner (one at a time, under a lock) later numbers the
-- committed rows in one step, so a reader that has passed `seq` N never meets a row numbered N
-- or lower afterwards, whatever order the writers committed in. Writers share no row.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    seq BIGINT UNIQUE,
    event_type TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    milestone_id TEXT,
    enterprise_id TEXT NOT NULL,
    county_code TEXT,
    city_code TEXT,
    -- The record's type (a provider sees its delegated types' events) and, for a delegation
    -- change, the provider concerned.
    milestone_type TEXT,
    provider_id TEXT,
    data TEXT NOT NULL
);
CREATE INDEX events_unnumbered ON events (id) WHERE seq IS NULL;
-- The feed reads one scope's events in `seq` order.
CREATE INDEX events_enterprise ON events (enterprise_id, seq);
CREATE INDEX events_city ON events (city_code, seq);
CREATE INDEX events_county ON events (county_code, seq);
CREATE INDEX events_provider ON events (provider_id, seq);
