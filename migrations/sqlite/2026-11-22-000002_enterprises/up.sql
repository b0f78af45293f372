-- Enterprises (identified by their USCC), their machine clients, and DB-held rate-limit
-- counters (so that throttles hold across instances).
CREATE TABLE enterprises (
    id TEXT PRIMARY KEY NOT NULL,
    uscc TEXT NOT NULL UNIQUE CHECK (length(uscc) = 18),
    name TEXT NOT NULL,
    county_code TEXT NOT NULL REFERENCES divisions (code),
    city_code TEXT NOT NULL REFERENCES divisions (code),
    industry_code TEXT NOT NULL,
    size_class TEXT NOT NULL CHECK (size_class IN ('large', 'medium', 'small', 'micro')),
    contact_name TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    verified BOOLEAN NOT NULL,
    verified_at TIMESTAMP,
    verified_by TEXT,
    registered_via TEXT NOT NULL CHECK (registered_via IN ('official', 'self')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX enterprises_city_idx ON enterprises (city_code, id);
CREATE INDEX enterprises_county_idx ON enterprises (county_code, id);
CREATE INDEX enterprises_name_idx ON enterprises (name);

CREATE TABLE api_clients (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT,
    revoked_at TIMESTAMP,
    last_used_at TIMESTAMP
);
CREATE INDEX api_clients_enterprise_idx ON api_clients (enterprise_id);

CREATE TABLE rate_limits (
    bucket TEXT PRIMARY KEY NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits INTEGER NOT NULL
);
