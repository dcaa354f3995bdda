-- Access decisions (PostgreSQL; Art. 7, 9, 10, 12, 14-16, 25): every decision, allow or deny, is kept.
-- The subject is named by the keyed hash of the IIN (the blind index), never in clear,
-- so a decision about a person the service has never seen is kept the same way.

CREATE TABLE access_decisions (
    seq                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    organization_id     TEXT NOT NULL REFERENCES organizations(id),
    holder_id           TEXT NOT NULL REFERENCES organizations(id),
    subject_index       BYTEA NOT NULL,
    action              TEXT NOT NULL,
    purpose             TEXT NOT NULL,
    categories          TEXT NOT NULL,
    recipient_bin       TEXT,
    recipient_country   TEXT,
    legal_ground        TEXT,
    cross_border_ground TEXT,
    outcome             TEXT NOT NULL CHECK (outcome IN ('allow', 'deny')),
    reasons             TEXT NOT NULL,
    consent_id          TEXT,
    decided_at          BIGINT NOT NULL
);
CREATE INDEX access_decisions_by_subject ON access_decisions (subject_index, seq);
CREATE INDEX access_decisions_by_organization ON access_decisions (organization_id, seq);

-- The Art. 9 grounds the deployment registered each organization for.
CREATE TABLE legal_grounds (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    ground          TEXT NOT NULL,
    registered_at   BIGINT NOT NULL,
    PRIMARY KEY (organization_id, ground)
);

-- Blocking of a subject's data at an organization (Art. 1 p.3, 24(1)(3)); open while
-- unblocked_at is NULL. Subjects' requests set and lift it.
CREATE TABLE blocks (
    id              TEXT PRIMARY KEY,
    subject_id      TEXT NOT NULL REFERENCES subjects(id),
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    blocked_at      BIGINT NOT NULL,
    unblocked_at    BIGINT
);
CREATE INDEX blocks_open ON blocks (subject_id, organization_id, unblocked_at);

CREATE INDEX consents_by_subject_organization ON consents (subject_id, organization_id);
