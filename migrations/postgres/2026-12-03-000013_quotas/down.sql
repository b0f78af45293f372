DROP INDEX milestones_recommended;
ALTER TABLE milestones DROP COLUMN priority;
ALTER TABLE milestones DROP COLUMN recommended_on;
DROP TABLE review_quotas;
