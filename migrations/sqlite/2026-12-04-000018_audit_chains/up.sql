-- The audit trail as 64 hash chains instead of one (issue 19): an entry joins the chain its key
-- (the object's id, else the actor's) hashes to, so concurrent writes on different objects lock
-- different head rows. The existing trail becomes chain 0 unchanged — its hashes, links and
-- positions stay valid — so verification passes before and after this migration. Chain k starts
-- from k written as 64 hex digits (chain 0's start is the old 64 zeros). Periodic anchors chain
-- the heads together, so removing a chain's newest entries (and rewinding its head) shows.
CREATE TABLE audit_chains (
    chain INTEGER PRIMARY KEY NOT NULL CHECK (chain >= 0 AND chain < 64),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_chains (chain, seq, hash) SELECT 0, seq, hash FROM audit_head;
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 63)
INSERT INTO audit_chains (chain, seq, hash) SELECT n, 0, printf('%064x', n) FROM k;
DROP TABLE audit_head;

-- SQLite cannot drop a column's UNIQUE: the table is rebuilt with `seq` unique per chain.
DROP TRIGGER audit_events_no_update;
DROP TRIGGER audit_events_no_delete;
CREATE TABLE audit_events_chained (
    id TEXT PRIMARY KEY NOT NULL,
    chain INTEGER NOT NULL DEFAULT 0,
    seq BIGINT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    actor_type TEXT NOT NULL CHECK (actor_type IN ('user', 'client', 'anonymous', 'system')),
    actor_id TEXT,
    actor_role TEXT,
    action TEXT NOT NULL,
    object_type TEXT,
    object_id TEXT,
    result TEXT NOT NULL CHECK (result IN ('success', 'failure')),
    detail TEXT,
    ip TEXT,
    request_id TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (chain, seq)
);
INSERT INTO audit_events_chained (id, chain, seq, occurred_at, actor_type, actor_id, actor_role, action,
        object_type, object_id, result, detail, ip, request_id, prev_hash, hash)
    SELECT id, 0, seq, occurred_at, actor_type, actor_id, actor_role, action, object_type, object_id, result,
        detail, ip, request_id, prev_hash, hash FROM audit_events;
DROP TABLE audit_events;
ALTER TABLE audit_events_chained RENAME TO audit_events;
-- The trail is listed in time order (ties by id, a UUIDv7).
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at, id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, occurred_at, id);
CREATE INDEX audit_events_action_idx ON audit_events (action, occurred_at, id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

-- Anchors: every so often the heads of all chains, hash-chained to the previous anchor.
CREATE TABLE audit_anchors (
    seq BIGINT PRIMARY KEY NOT NULL,
    made_at TIMESTAMP NOT NULL,
    heads TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER audit_anchors_no_update BEFORE UPDATE ON audit_anchors
BEGIN
    SELECT RAISE(ABORT, 'audit_anchors is append-only');
END;
CREATE TRIGGER audit_anchors_no_delete BEFORE DELETE ON audit_anchors
BEGIN
    SELECT RAISE(ABORT, 'audit_anchors is append-only');
END;
