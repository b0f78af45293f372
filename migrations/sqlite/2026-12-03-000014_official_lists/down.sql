-- Refuses (a CHECK on a temporary table) while enterprises created by an import exist.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TEMP TABLE migration_import_check (imported INTEGER NOT NULL CHECK (imported = 0));
INSERT INTO migration_import_check SELECT count(*) FROM enterprises
    WHERE registered_via = 'official_list' OR industry_code IS NULL OR size_class IS NULL;
DROP TABLE migration_import_check;
DROP INDEX milestones_import_idx;
ALTER TABLE milestones DROP COLUMN import_id;
CREATE TABLE enterprises_old (
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
INSERT INTO enterprises_old SELECT id, uscc, name, county_code, city_code, industry_code, size_class,
    contact_name, contact_phone, verified, verified_at, verified_by, registered_via, version,
    created_at, updated_at
FROM enterprises;
DROP TABLE enterprises;
ALTER TABLE enterprises_old RENAME TO enterprises;
CREATE INDEX enterprises_city_idx ON enterprises (city_code, id);
CREATE INDEX enterprises_county_idx ON enterprises (county_code, id);
CREATE INDEX enterprises_name_idx ON enterprises (name);
DROP TABLE imports;
CREATE TEMP TABLE migration_fk_check (violations INTEGER NOT NULL CHECK (violations = 0));
INSERT INTO migration_fk_check SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE migration_fk_check;
COMMIT;
PRAGMA foreign_keys = ON;
