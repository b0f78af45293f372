-- The audit trail as 64 hash chains instead of one (issue 19): an entry joins the chain its key
-- (the object's id, else the actor's) hashes to, so concurrent writes on different objects lock
-- different head rows. The existing trail becomes chain 0 unchanged — its hashes, links and
-- positions stay valid — so verification passes before and after this migration. Chain k starts
-- from k written as 64 hex digits (chain 0's start is the old 64 zeros). Periodic anchors chain
-- the heads together, so removing a chain's newest entries (and rewinding its head) shows.
CREATE TABLE audit_chains (
    chain SMALLINT PRIMARY KEY NOT NULL CHECK (chain >= 0 AND chain < 64),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_chains (chain, seq, hash) SELECT 0, seq, hash FROM audit_head;
INSERT INTO audit_chains (chain, seq, hash) SELECT n, 0, lpad(to_hex(n), 64, '0') FROM generate_series(1, 63) AS n;
DROP TABLE audit_head;

-- Adding a column with a default rewrites no row (the append-only trigger stays in force).
ALTER TABLE audit_events ADD COLUMN chain SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE audit_events DROP CONSTRAINT audit_events_seq_key;
CREATE UNIQUE INDEX audit_events_chain_seq ON audit_events (chain, seq);
-- The trail is listed in time order (ties by id, a UUIDv7).
DROP INDEX audit_events_time_idx;
DROP INDEX audit_events_actor_idx;
DROP INDEX audit_events_action_idx;
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at, id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, occurred_at, id);
CREATE INDEX audit_events_action_idx ON audit_events (action, occurred_at, id);

-- Anchors: every so often the heads of all chains, hash-chained to the previous anchor.
CREATE TABLE audit_anchors (
    seq BIGINT PRIMARY KEY NOT NULL,
    made_at TIMESTAMP NOT NULL,
    heads TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER audit_anchors_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_anchors
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
