-- Qorgau foundation schema (PostgreSQL). Times are microseconds since the Unix epoch (UTC).
-- Personal data never appear in clear: subjects' data are sealed under per-subject keys.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organizations (
    id         TEXT PRIMARY KEY,
    bin        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('owner', 'operator', 'third_party')),
    dpo        TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id              TEXT PRIMARY KEY,
    organization_id TEXT REFERENCES organizations(id),
    label           TEXT NOT NULL,
    scopes          TEXT NOT NULL,
    secret_hash     BYTEA NOT NULL,
    created_at      BIGINT NOT NULL,
    revoked_at      BIGINT
);

CREATE TABLE categories (
    code        TEXT PRIMARY KEY,
    sensitivity TEXT NOT NULL CHECK (sensitivity IN ('public', 'restricted', 'biometric')),
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE purposes (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    code            TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    UNIQUE (organization_id, code)
);

CREATE TABLE purpose_categories (
    purpose_id    TEXT NOT NULL REFERENCES purposes(id),
    category_code TEXT NOT NULL REFERENCES categories(code),
    PRIMARY KEY (purpose_id, category_code)
);

CREATE TABLE subjects (
    id          TEXT PRIMARY KEY,
    iin_index   BYTEA NOT NULL UNIQUE,
    wrapped_key BYTEA,
    pii         BYTEA,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE consents (
    id                TEXT PRIMARY KEY,
    series_id         TEXT NOT NULL,
    version           BIGINT NOT NULL,
    organization_id   TEXT NOT NULL REFERENCES organizations(id),
    subject_id        TEXT NOT NULL REFERENCES subjects(id),
    purpose_id        TEXT NOT NULL REFERENCES purposes(id),
    representative_id TEXT REFERENCES subjects(id),
    state             TEXT NOT NULL,
    terms             TEXT NOT NULL,
    pii               BYTEA NOT NULL,
    respond_by        BIGINT NOT NULL,
    valid_from        BIGINT,
    valid_until       BIGINT NOT NULL,
    supersedes        TEXT REFERENCES consents(id),
    code_hash         BYTEA,
    code_expires_at   BIGINT,
    code_attempts     BIGINT NOT NULL DEFAULT 0,
    code_sends        BIGINT NOT NULL DEFAULT 0,
    receipt           BYTEA,
    withdrawal_ground TEXT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    UNIQUE (series_id, version)
);
CREATE INDEX consents_by_subject ON consents (subject_id, created_at);
CREATE INDEX consents_by_organization ON consents (organization_id, created_at);
CREATE INDEX consents_pending_due ON consents (state, respond_by);
CREATE INDEX consents_active_due ON consents (state, valid_until);

CREATE TABLE consent_events (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consent_id TEXT NOT NULL REFERENCES consents(id),
    subject_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT,
    actor_kind TEXT NOT NULL,
    actor_id   TEXT,
    detail     TEXT,
    at         BIGINT NOT NULL
);
CREATE INDEX consent_events_by_consent ON consent_events (consent_id, seq);

CREATE TABLE representations (
    id                TEXT PRIMARY KEY,
    subject_id        TEXT NOT NULL REFERENCES subjects(id),
    representative_id TEXT NOT NULL REFERENCES subjects(id),
    basis             TEXT NOT NULL,
    document          BYTEA NOT NULL,
    valid_until       BIGINT NOT NULL,
    recorded_by       TEXT NOT NULL REFERENCES organizations(id),
    recorded_at       BIGINT NOT NULL
);
CREATE INDEX representations_by_subject ON representations (subject_id);

CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    subject_id      TEXT REFERENCES subjects(id),
    channel         TEXT NOT NULL,
    kind            TEXT NOT NULL,
    payload         BYTEA NOT NULL,
    status          TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE signin_challenges (
    id         TEXT PRIMARY KEY,
    subject_id TEXT REFERENCES subjects(id),
    code_hash  BYTEA NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    used_at    BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    subject_id TEXT NOT NULL REFERENCES subjects(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
