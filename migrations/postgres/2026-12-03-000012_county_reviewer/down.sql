ALTER TABLE users DROP CONSTRAINT users_county_scope_check;
ALTER TABLE users DROP COLUMN county_code;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('enterprise', 'city_reviewer', 'province_officer', 'sysadmin', 'auditor'));
