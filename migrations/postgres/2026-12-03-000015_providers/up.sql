-- Service providers and delegated submission (§3.9): providers, their users and API clients,
-- enterprises' delegations (one row per delegated type beside each delegation), and who
-- submitted a record for whom.
CREATE TABLE providers (
    id TEXT PRIMARY KEY NOT NULL,
    uscc TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT
);

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('enterprise', 'city_reviewer', 'county_reviewer', 'province_officer', 'provider', 'sysadmin', 'auditor'));
ALTER TABLE users ADD COLUMN provider_id TEXT REFERENCES providers (id);
ALTER TABLE users ADD CONSTRAINT users_provider_scope_check CHECK ((role = 'provider') = (provider_id IS NOT NULL));

-- A client acts for exactly one enterprise or one provider.
ALTER TABLE api_clients ALTER COLUMN enterprise_id DROP NOT NULL;
ALTER TABLE api_clients ADD COLUMN provider_id TEXT REFERENCES providers (id);
ALTER TABLE api_clients ADD CONSTRAINT api_clients_owner_check CHECK ((enterprise_id IS NULL) <> (provider_id IS NULL));
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
