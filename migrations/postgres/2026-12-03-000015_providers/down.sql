DROP INDEX milestones_provider_idx;
ALTER TABLE milestones DROP COLUMN provider_id;
ALTER TABLE milestones DROP COLUMN submitted_by;
DROP TABLE delegation_types;
DROP TABLE delegations;
DELETE FROM api_clients WHERE provider_id IS NOT NULL;
DROP INDEX api_clients_provider_idx;
ALTER TABLE api_clients DROP CONSTRAINT api_clients_owner_check;
ALTER TABLE api_clients DROP COLUMN provider_id;
ALTER TABLE api_clients ALTER COLUMN enterprise_id SET NOT NULL;
DELETE FROM refresh_tokens WHERE user_id IN (SELECT id FROM users WHERE role = 'provider');
DELETE FROM users WHERE role = 'provider';
ALTER TABLE users DROP CONSTRAINT users_provider_scope_check;
ALTER TABLE users DROP COLUMN provider_id;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('enterprise', 'city_reviewer', 'county_reviewer', 'province_officer', 'sysadmin', 'auditor'));
DROP TABLE providers;
