DELETE FROM stat_pending WHERE n = 0;
ALTER TABLE stat_pending DROP COLUMN publicised;
DROP INDEX milestones_recommended;
ALTER TABLE milestones DROP COLUMN priority;
ALTER TABLE milestones DROP COLUMN recommended_on;
DROP TABLE review_quotas;
