-- The county reviewer (DESIGN §1): a role scoped to one county.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('enterprise', 'city_reviewer', 'county_reviewer', 'province_officer', 'sysadmin', 'auditor'));
ALTER TABLE users ADD COLUMN county_code TEXT REFERENCES divisions (code);
ALTER TABLE users ADD CONSTRAINT users_county_scope_check CHECK ((role = 'county_reviewer') = (county_code IS NOT NULL));
