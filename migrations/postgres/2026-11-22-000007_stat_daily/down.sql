DROP TABLE stat_generation;
DROP INDEX milestones_pending_idx;
DROP TABLE stat_daily;
