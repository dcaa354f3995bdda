-- Subjects' notification preferences (issue 5): which channels, immediate or a daily
-- digest. Without a row: the contact's channel, immediately.

CREATE TABLE subject_preferences (
    subject_id TEXT PRIMARY KEY REFERENCES subjects(id),
    channels   TEXT NOT NULL,
    digest     INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX outbox_held ON outbox (status, subject_id, created_at);
