-- Official lists (DESIGN §3.8): the province imports its published recognition lists. One row
-- per applied import, found again by the file's SHA-256 (a re-import answers the first report).
CREATE TABLE imports (
    id TEXT PRIMARY KEY NOT NULL,
    file_sha256 TEXT NOT NULL UNIQUE CHECK (char_length(file_sha256) = 64),
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
ALTER TABLE enterprises DROP CONSTRAINT enterprises_registered_via_check;
ALTER TABLE enterprises ADD CONSTRAINT enterprises_registered_via_check
    CHECK (registered_via IN ('official', 'self', 'official_list'));
ALTER TABLE enterprises ALTER COLUMN industry_code DROP NOT NULL;
ALTER TABLE enterprises ALTER COLUMN size_class DROP NOT NULL;

-- A record written by an import keeps it; its `source` (`official_list`) is read from it.
ALTER TABLE milestones ADD COLUMN import_id TEXT REFERENCES imports (id);
CREATE INDEX milestones_import_idx ON milestones (import_id) WHERE import_id IS NOT NULL;
