-- Back to one chain, keeping every entry: they are numbered in (chain, seq) order. A trail that
-- used chains other than 0 cannot stay verifiable as one chain (the first entry of chain 1 does
-- not link to the last of chain 0); one that used only chain 0 is unchanged.
DROP TABLE audit_anchors;
DROP TRIGGER audit_events_no_update;
DROP TRIGGER audit_events_no_delete;
CREATE TABLE audit_events_single (
    id TEXT PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL UNIQUE,
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
    hash TEXT NOT NULL
);
INSERT INTO audit_events_single (id, seq, occurred_at, actor_type, actor_id, actor_role, action,
        object_type, object_id, result, detail, ip, request_id, prev_hash, hash)
    SELECT id, ROW_NUMBER() OVER (ORDER BY chain, seq), occurred_at, actor_type, actor_id, actor_role, action,
        object_type, object_id, result, detail, ip, request_id, prev_hash, hash FROM audit_events;
DROP TABLE audit_events;
ALTER TABLE audit_events_single RENAME TO audit_events;
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, seq);
CREATE INDEX audit_events_action_idx ON audit_events (action, seq);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
    SELECT 1, COALESCE((SELECT MAX(seq) FROM audit_events), 0),
        COALESCE((SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1), printf('%064x', 0));
DROP TABLE audit_chains;
