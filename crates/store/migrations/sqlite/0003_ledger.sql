-- The verifiable ledger (Art. 22(1)(5), 27-3; Informatization Art. 55(3)(2)): an RFC 9162
-- Merkle log of every action. Entries hold pseudonymous identifiers only (the subject as
-- the keyed hash of the IIN), so destroying a subject's data never rewrites the ledger.

-- One row per entry: the exact bytes that were hashed, and their leaf hash.
CREATE TABLE ledger_entries (
    idx             INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    subject         BLOB,
    organization_id TEXT,
    body            BLOB NOT NULL,
    leaf            BLOB NOT NULL
);
CREATE INDEX ledger_by_organization ON ledger_entries (organization_id, idx) WHERE organization_id IS NOT NULL;

-- Every complete subtree above the leaves, keyed by (last leaf covered * 64 + level):
-- the order in which appends complete them.
CREATE TABLE ledger_nodes (
    key  INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
);

-- The right edge of the tree (its size and the complete subtrees covering it).
CREATE TABLE ledger_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    frontier BLOB NOT NULL,
    -- Entries below this index are in ledger_subjects.
    subjects_indexed INTEGER NOT NULL DEFAULT 0
);
INSERT INTO ledger_state (id, frontier) VALUES (1, X'0000000000000000');

-- The subjects' history: (subject, entry) pairs. A subject's pseudonym is a keyed hash,
-- so indexing each entry as it is appended would write a random page at every commit;
-- instead they are added in the background, in large sorted batches. Entries not yet
-- indexed are found by scanning the short tail from ledger_state.subjects_indexed.
CREATE TABLE ledger_subjects (
    subject BLOB NOT NULL,
    idx     INTEGER NOT NULL,
    PRIMARY KEY (subject, idx)
) WITHOUT ROWID;

-- Signed checkpoints (C2SP tlog-checkpoint notes), all kept.
CREATE TABLE ledger_checkpoints (
    size      INTEGER PRIMARY KEY,
    root      BLOB NOT NULL,
    note      TEXT NOT NULL,
    issued_at INTEGER NOT NULL
);

-- Decisions are recorded in the ledger from now on. No release ever wrote this table.
DROP TABLE access_decisions;
