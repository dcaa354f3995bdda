-- Webhooks to organizations (issue 5): endpoints with their signing secret (sealed),
-- and deliveries through the outbox, one row per endpoint and event.

CREATE TABLE webhook_endpoints (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    url             TEXT NOT NULL,
    secret          BYTEA NOT NULL,
    events          TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    disabled_at     BIGINT
);
CREATE INDEX webhook_endpoints_by_organization ON webhook_endpoints (organization_id);

ALTER TABLE outbox ADD COLUMN endpoint_id TEXT;
CREATE INDEX outbox_by_endpoint ON outbox (endpoint_id, created_at);
