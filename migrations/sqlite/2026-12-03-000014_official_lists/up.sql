-- Official lists (DESIGN §3.8): the province imports its published recognition lists. One row
-- per applied import, found again by the file's SHA-256 (a re-import answers the first report).
-- `enterprises` is rebuilt to change its CHECK and NOT NULL constraints (see metadata.toml).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE imports (
    id TEXT PRIMARY KEY NOT NULL,
    file_sha256 TEXT NOT NULL UNIQUE CHECK (length(file_sha256) = 64),
    media_type TEXT NOT NULL CHECK (media_type IN ('csv', 'xlsx')),
    row_count INTEGER NOT NULL,
    created_enterprises INTEGER NOT NULL,
    created_records INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    duplicate_rows TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX imports_created_idx ON imports (created_at, id);

-- An enterprise first known from a list: verified, industry and size unknown until it edits them.
CREATE TABLE enterprises_new (
    id TEXT PRIMARY KEY NOT NULL,
    uscc TEXT NOT NULL UNIQUE CHECK (length(uscc) = 18),
    name TEXT NOT NULL,
    county_code TEXT NOT NULL REFERENCES divisions (code),
    city_code TEXT NOT NULL REFERENCES divisions (code),
    industry_code TEXT,
    size_class TEXT CHECK (size_class IN ('large', 'medium', 'small', 'micro')),
    contact_name TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    verified BOOLEAN NOT NULL,
    verified_at TIMESTAMP,
    verified_by TEXT,
    registered_via TEXT NOT NULL CHECK (registered_via IN ('official', 'self', 'official_list')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO enterprises_new SELECT id, uscc, name, county_code, city_code, industry_code, size_class,
    contact_name, contact_phone, verified, verified_at, verified_by, registered_via, version,
    created_at, updated_at
FROM enterprises;
DROP TABLE enterprises;
ALTER TABLE enterprises_new RENAME TO enterprises;
CREATE INDEX enterprises_city_idx ON enterprises (city_code, id);
CREATE INDEX enterprises_county_idx ON enterprises (county_code, id);
CREATE INDEX enterprises_name_idx ON enterprises (name);

-- A record written by an import keeps it; its `source` (`official_list`) is read from it.
ALTER TABLE milestones ADD COLUMN import_id TEXT REFERENCES imports (id);
CREATE INDEX milestones_import_idx ON milestones (import_id) WHERE import_id IS NOT NULL;
-- With foreign keys off nothing checked the copy: refuse to commit one that breaks a reference.
CREATE TEMP TABLE migration_fk_check (violations INTEGER NOT NULL CHECK (violations = 0));
INSERT INTO migration_fk_check SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE migration_fk_check;
COMMIT;
PRAGMA foreign_keys = ON;
