-- The statistics generation as 64 slots instead of one row (issue 19): a write bumps one slot
-- chosen at random, readers take the sum. Every bump raises the sum, so a cached table is
-- current exactly while the sum is unchanged — and concurrent writes rarely meet on a slot.
CREATE TABLE stat_generation_slots (
    slot INTEGER PRIMARY KEY NOT NULL CHECK (slot >= 0 AND slot < 64),
    n BIGINT NOT NULL
);
INSERT INTO stat_generation_slots (slot, n) SELECT 0, n FROM stat_generation;
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 63)
INSERT INTO stat_generation_slots (slot, n) SELECT n, 0 FROM k;
DROP TABLE stat_generation;
