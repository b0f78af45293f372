-- Refuses (a NOT NULL or CHECK failure) while enterprises created by an import exist.
DROP INDEX milestones_import_idx;
ALTER TABLE milestones DROP COLUMN import_id;
ALTER TABLE enterprises ALTER COLUMN size_class SET NOT NULL;
ALTER TABLE enterprises ALTER COLUMN industry_code SET NOT NULL;
ALTER TABLE enterprises DROP CONSTRAINT enterprises_registered_via_check;
ALTER TABLE enterprises ADD CONSTRAINT enterprises_registered_via_check
    CHECK (registered_via IN ('official', 'self'));
DROP TABLE imports;
