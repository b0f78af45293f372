-- The statistics generation as 64 slots instead of one row (issue 19): a write bumps one slot
-- chosen at random, readers take the sum. Every bump raises the sum, so a cached table is
-- current exactly while the sum is unchanged — and concurrent writes rarely meet on a slot.
CREATE TABLE stat_generation_slots (
    slot INTEGER PRIMARY KEY NOT NULL CHECK (slot >= 0 AND slot < 64),
    n BIGINT NOT NULL
);
INSERT INTO stat_generation_slots (slot, n) SELECT 0, n FROM stat_generation;
INSERT INTO stat_generation_slots (slot, n) SELECT s, 0 FROM generate_series(1, 63) AS s;
DROP TABLE stat_generation;
