-- Webhook subscriptions (DESIGN §3.10). A subscription delivers its scope's events of the chosen
-- types in `seq` order: `cursor` is the last event it is done with; `attempts`, `failing_since`
-- and `next_attempt_at` carry the retries of the event after it; `leased_until` is how long one
-- instance's delivery worker holds it (a conditional update takes the lease, so two instances
-- never both send one attempt). The secret is kept as given to the owner: it signs deliveries.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    -- The owner: an enterprise (its events) or a provider (its delegated records' events).
    enterprise_id TEXT REFERENCES enterprises (id),
    provider_id TEXT REFERENCES providers (id),
    created_by TEXT NOT NULL,
    url TEXT NOT NULL,
    event_types TEXT NOT NULL,
    secret TEXT NOT NULL,
    cursor BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    failing_since TIMESTAMP,
    next_attempt_at TIMESTAMP NOT NULL,
    leased_until TIMESTAMP,
    disabled_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CHECK ((enterprise_id IS NULL) <> (provider_id IS NULL))
);
CREATE INDEX webhooks_due ON webhooks (next_attempt_at) WHERE disabled_at IS NULL;
CREATE INDEX webhooks_enterprise ON webhooks (enterprise_id);
CREATE INDEX webhooks_provider ON webhooks (provider_id);

-- Every attempt, kept while the subscription exists.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    attempt INTEGER NOT NULL,
    attempted_at TIMESTAMP NOT NULL,
    status_code INTEGER,
    error TEXT,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id);
