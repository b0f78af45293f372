-- Issue 19: the index that served the pending counts before they were kept in stat_pending
-- (migration 000009). No query reads it now — the review queues use milestones_city_state_idx
-- and milestones_state_idx, the statistics milestones_type_idx — while every state change, not
-- being a HOT update, added an entry to it.
DROP INDEX milestones_pending_idx;
