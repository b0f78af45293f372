-- Back to one chain, keeping every entry: they are numbered in (chain, seq) order. A trail that
-- used chains other than 0 cannot stay verifiable as one chain (the first entry of chain 1 does
-- not link to the last of chain 0); one that used only chain 0 is unchanged.
DROP TABLE audit_anchors;
DROP INDEX audit_events_time_idx;
DROP INDEX audit_events_actor_idx;
DROP INDEX audit_events_action_idx;
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, seq);
CREATE INDEX audit_events_action_idx ON audit_events (action, seq);
DROP INDEX audit_events_chain_seq;
ALTER TABLE audit_events DISABLE TRIGGER USER;
UPDATE audit_events SET seq = numbered.n
    FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY chain, seq) AS n FROM audit_events) AS numbered
    WHERE audit_events.id = numbered.id AND audit_events.seq <> numbered.n;
ALTER TABLE audit_events ENABLE TRIGGER USER;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_seq_key UNIQUE (seq);
ALTER TABLE audit_events DROP COLUMN chain;
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
    SELECT 1, COALESCE((SELECT MAX(seq) FROM audit_events), 0),
        COALESCE((SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1), lpad('', 64, '0'));
DROP TABLE audit_chains;
