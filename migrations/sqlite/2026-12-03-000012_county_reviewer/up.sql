-- The county reviewer (DESIGN §1): a role scoped to one county. The table is rebuilt to change
-- its CHECK constraints (see metadata.toml).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_new (
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
INSERT INTO users_new (id, username, display_name, role, enterprise_id, city_code, password_hash,
    must_change_password, password_changed_at, disabled, failed_logins, locked_until, version,
    created_at, updated_at)
SELECT id, username, display_name, role, enterprise_id, city_code, password_hash,
    must_change_password, password_changed_at, disabled, failed_logins, locked_until, version,
    created_at, updated_at
FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_enterprise_idx ON users (enterprise_id);
-- With foreign keys off nothing checked the copy: refuse to commit one that breaks a reference.
CREATE TEMP TABLE migration_fk_check (violations INTEGER NOT NULL CHECK (violations = 0));
INSERT INTO migration_fk_check SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE migration_fk_check;
COMMIT;
PRAGMA foreign_keys = ON;
