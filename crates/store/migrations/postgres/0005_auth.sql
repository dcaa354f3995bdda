-- Sign-in and permissions (issue 6): staff accounts with Argon2id passwords and TOTP,
-- recovery codes, one session table for subjects and staff with idle and absolute
-- timeouts, the sign-in throttle, and API keys' last use and rotation.

CREATE TABLE accounts (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT REFERENCES organizations(id),
    role             TEXT NOT NULL CHECK (role IN ('service_admin', 'inspector', 'org_admin', 'dpo', 'processor')),
    login_index      BYTEA NOT NULL UNIQUE,
    pii              BYTEA NOT NULL,
    password_hash    TEXT,
    setup_hash       BYTEA,
    setup_expires_at BIGINT,
    created_at       BIGINT NOT NULL,
    disabled_at      BIGINT,
    CHECK ((organization_id IS NULL) = (role IN ('service_admin', 'inspector')))
);
CREATE INDEX accounts_by_organization ON accounts (organization_id);

-- One authenticator per owner (`account:<id>` or `subject:<id>`); the secret is sealed.
CREATE TABLE totp_factors (
    owner          TEXT PRIMARY KEY,
    secret         BYTEA,
    pending_secret BYTEA,
    confirmed_at   BIGINT,
    last_step      BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE recovery_codes (
    owner     TEXT NOT NULL,
    code_hash BYTEA NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (owner, code_hash)
);

DROP TABLE sessions;
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    subject_id   TEXT REFERENCES subjects(id),
    account_id   TEXT REFERENCES accounts(id),
    stage        TEXT NOT NULL CHECK (stage IN ('mfa', 'active')),
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    idle_seconds BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    revoked_at   BIGINT,
    CHECK ((subject_id IS NULL) <> (account_id IS NULL))
);
CREATE INDEX sessions_by_account ON sessions (account_id);
CREATE INDEX sessions_by_subject ON sessions (subject_id);

CREATE TABLE throttle (
    key             TEXT PRIMARY KEY,
    failures        BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    locked_until    BIGINT
);

ALTER TABLE api_keys ADD COLUMN last_used_at BIGINT;
ALTER TABLE api_keys ADD COLUMN expires_at BIGINT;
ALTER TABLE api_keys ADD COLUMN replaced_by TEXT;
CREATE INDEX api_keys_by_organization ON api_keys (organization_id);

-- The subject key a challenge counts failures against (keyed hash of the IIN, known or not).
ALTER TABLE signin_challenges ADD COLUMN throttle_key TEXT;
