-- Subjects' requests to organizations (Art. 6, 13, 24, 25(2)(6)-(9); Rules p.15-16) and
-- the calendar data an administrator imports.

-- One row per request. What the subject wrote, their documents and the organization's
-- answer are sealed under the subject's data key: destroying the key destroys them.
CREATE TABLE requests (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    subject_id      TEXT NOT NULL REFERENCES subjects(id),
    kind            TEXT NOT NULL,
    state           TEXT NOT NULL,
    received_at     BIGINT NOT NULL,
    due_at          BIGINT NOT NULL,
    -- The last day to answer, local, as YYYY-MM-DD.
    due_date        TEXT NOT NULL,
    assignee        TEXT,
    assigned_at     BIGINT,
    body            BYTEA NOT NULL,
    answer          BYTEA,
    closed_at       BIGINT,
    overdue_at      BIGINT
);
CREATE INDEX requests_queue ON requests (organization_id, state, due_at);
CREATE INDEX requests_by_subject ON requests (subject_id, received_at);
CREATE INDEX requests_by_state ON requests (state, due_at);
-- What the overdue sweep looks at: open requests not flagged yet, by due time.
CREATE INDEX requests_due ON requests (due_at) WHERE state = 'open' AND overdue_at IS NULL;

-- Calendar years imported by an administrator; they replace the shipped ones.
CREATE TABLE calendar_years (
    year        INTEGER PRIMARY KEY,
    data        TEXT NOT NULL,
    version     TEXT NOT NULL,
    imported_at BIGINT NOT NULL
);
