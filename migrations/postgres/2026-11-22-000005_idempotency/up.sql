-- Idempotency-Key records (DESIGN §4): the first response to a create or transition POST, kept
-- per principal and key so that a retry with the same key and body replays it. Rows older than
-- 24 h are ignored and purged after 48 h.
CREATE TABLE idempotency_keys (
    principal_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    response_headers TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (principal_id, idem_key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
