PRAGMA foreign_keys = OFF;
BEGIN;
DROP INDEX milestones_provider_idx;
ALTER TABLE milestones DROP COLUMN provider_id;
ALTER TABLE milestones DROP COLUMN submitted_by;
DROP TABLE delegation_types;
DROP TABLE delegations;
CREATE TABLE api_clients_old (
    id TEXT PRIMARY KEY NOT NULL,
    enterprise_id TEXT NOT NULL REFERENCES enterprises (id),
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT,
    revoked_at TIMESTAMP,
    last_used_at TIMESTAMP
);
INSERT INTO api_clients_old SELECT id, enterprise_id, name, secret_hash, created_at, created_by, revoked_at, last_used_at
FROM api_clients WHERE provider_id IS NULL;
DROP TABLE api_clients;
ALTER TABLE api_clients_old RENAME TO api_clients;
CREATE INDEX api_clients_enterprise_idx ON api_clients (enterprise_id);
DELETE FROM refresh_tokens WHERE user_id IN (SELECT id FROM users WHERE role = 'provider');
CREATE TABLE users_old (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT,
    role TEXT NOT NULL CHECK (role IN ('enterprise', 'city_reviewer', 'county_reviewer', 'province_officer', 'sysadmin', 'auditor')),
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
    CHECK ((role = 'enterprise') = (enterprise_id IS NOT NULL)),
    CHECK ((role = 'city_reviewer') = (city_code IS NOT NULL)),
    CHECK ((role = 'county_reviewer') = (county_code IS NOT NULL))
);
INSERT INTO users_old SELECT id, username, display_name, role, enterprise_id, city_code, password_hash,
    must_change_password, password_changed_at, disabled, failed_logins, locked_until, version,
    created_at, updated_at, county_code
FROM users WHERE role <> 'provider';
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
CREATE INDEX users_enterprise_idx ON users (enterprise_id);
DROP TABLE providers;
CREATE TEMP TABLE migration_fk_check (violations INTEGER NOT NULL CHECK (violations = 0));
INSERT INTO migration_fk_check SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE migration_fk_check;
COMMIT;
PRAGMA foreign_keys = ON;
