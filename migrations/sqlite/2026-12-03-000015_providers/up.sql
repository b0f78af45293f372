-- Service providers and delegated submission (§3.9): providers, their users and API clients,
-- enterprises' delegations (one row per delegated type beside each delegation), and who
-- submitted a record for whom. `users` (its role CHECK) and `api_clients` (an enterprise or a
-- provider) are rebuilt as in 000012, with foreign keys off (see metadata.toml).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE providers (
    id TEXT PRIMARY KEY NOT NULL,
    uscc TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT
);

CREATE TABLE users_new (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT,
    role TEXT NOT NULL CHECK (role IN ('enterprise', 'city_reviewer', 'county_reviewer', 'province_officer', 'provider', 'sysadmin', 'auditor')),
    enterprise_id TEXT REFERENCES enterprises (id),
    city_code TEXT REFERENCES divisions (code),
    password_hash TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    password_changed_at TIMESTAMP NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    county_code TEXT REFERENCES divisions (code),
    provider_id TEXT REFERENCES providers (id),
    CHECK ((role = 'enterprise') = (enterprise_id IS NOT NULL)),
    CHECK ((role = 'city_reviewer') = (city_code IS NOT NULL)),
    CHECK ((role = 'county_reviewer') = (county_code IS NOT NULL)),
    CHECK ((role = 'provider') = (provider_id IS NOT NULL))
);
INSERT INTO users_new (id, username, display_name, role, enterprise_id, city_code, password_hash,
    must_change_password, password_changed_at, disabled, failed_logins, locked_until, version,
    created_at, updated_at, county_code)
SELECT id, username, display_name, role, enterprise_id, city_code, password_hash,
    must_change_password, password_changed_at, disabled, failed_logins, locked_until, version,
    created_at, updated_at, county_code
FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_enterprise_idx ON users (enterprise_id);

-- A client acts for exactly one enterprise or one provider.
CREATE TABLE api_clients_new (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT REFERENCES enterprises (id),
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT,
    revoked_at TIMESTAMP,
    last_used_at TIMESTAMP,
    provider_id TEXT REFERENCES providers (id),
    CHECK ((enterprise_id IS NULL) <> (provider_id IS NULL))
);
INSERT INTO api_clients_new (id, enterprise_id, name, secret_hash, created_at, created_by, revoked_at, last_used_at)
SELECT id, enterprise_id, name, secret_hash, created_at, created_by, revoked_at, last_used_at FROM api_clients;
DROP TABLE api_clients;
ALTER TABLE api_clients_new RENAME TO api_clients;
CREATE INDEX api_clients_enterprise_idx ON api_clients (enterprise_id);
CREATE INDEX api_clients_provider_idx ON api_clients (provider_id);

CREATE TABLE delegations (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    provider_id TEXT NOT NULL REFERENCES providers (id),
    expires_on DATE,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at TIMESTAMP,
    revoked_by TEXT
);
CREATE INDEX delegations_enterprise_idx ON delegations (enterprise_id, id);
CREATE INDEX delegations_provider_idx ON delegations (provider_id, enterprise_id);

-- The types of a delegation, with its enterprise and provider copied so that "may provider P act
-- on type T of enterprise E?" is one indexed lookup, and `scope_key` (enterprise id, `:`, type)
-- lets a provider's record list filter on one column.
CREATE TABLE delegation_types (
    delegation_id TEXT NOT NULL REFERENCES delegations (id),
    milestone_type TEXT NOT NULL REFERENCES milestone_types (code),
    provider_id TEXT NOT NULL REFERENCES providers (id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    scope_key TEXT NOT NULL,
    PRIMARY KEY (delegation_id, milestone_type)
);
CREATE INDEX delegation_types_lookup_idx ON delegation_types (provider_id, enterprise_id, milestone_type);

ALTER TABLE milestones ADD COLUMN submitted_by TEXT;
-- No foreign key, like `created_by`: SQLite cannot drop a column that has one (down.sql).
ALTER TABLE milestones ADD COLUMN provider_id TEXT;
CREATE INDEX milestones_provider_idx ON milestones (provider_id, milestone_type);
-- With foreign keys off nothing checked the copy: refuse to commit one that breaks a reference.
CREATE TEMP TABLE migration_fk_check (violations INTEGER NOT NULL CHECK (violations = 0));
INSERT INTO migration_fk_check SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE migration_fk_check;
COMMIT;
PRAGMA foreign_keys = ON;
