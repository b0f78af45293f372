CREATE TABLE stat_generation (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO stat_generation (id, n) SELECT 1, COALESCE(SUM(n), 0) FROM stat_generation_slots;
DROP TABLE stat_generation_slots;
