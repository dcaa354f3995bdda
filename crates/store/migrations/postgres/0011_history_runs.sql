-- The subjects' history index as sorted runs (a log-structured merge), not one B-tree.
-- Keyed by the subject's pseudonym (a keyed hash), one B-tree took every batch of the
-- background indexer as random inserts: once it spanned more leaves than a batch had
-- entries, every recorded decision dirtied a 4 KB page of its own, written to the WAL and
-- again at checkpoint. Now each batch becomes a new run, appended whole; runs of one level
-- are merged into one run of the next, in bounded steps (store/src/ledger.rs).

-- The runs: which entries each covers ([from_idx, to_idx)), and a merge under way (the
-- run being built has a cursor; the runs it takes from point at it).
CREATE TABLE ledger_subject_runs (
    run            BIGINT PRIMARY KEY,
    level          BIGINT NOT NULL,
    from_idx       BIGINT NOT NULL,
    to_idx         BIGINT NOT NULL,
    merging_into   BIGINT,
    cursor_subject BYTEA,
    cursor_idx     BIGINT
);
-- Runs are numbered from this counter.
ALTER TABLE ledger_state ADD COLUMN history_runs BIGINT NOT NULL DEFAULT 0;

ALTER TABLE ledger_subjects RENAME TO ledger_subjects_before_runs;
ALTER INDEX ledger_subjects_pkey RENAME TO ledger_subjects_before_runs_pkey;
CREATE TABLE ledger_subjects (
    run     BIGINT NOT NULL,
    subject BYTEA NOT NULL,
    idx     BIGINT NOT NULL,
    PRIMARY KEY (run, subject, idx)
);
-- What was indexed becomes one run of a level of its own (2^40 + 1: merged runs are
-- numbered above 2^40, so that the one being built is always appended at the end).
INSERT INTO ledger_subjects (run, subject, idx)
    SELECT 1099511627777, subject, idx FROM ledger_subjects_before_runs ORDER BY subject, idx;
INSERT INTO ledger_subject_runs (run, level, from_idx, to_idx)
    SELECT 1099511627777, 16, 0, subjects_indexed FROM ledger_state
    WHERE id = 1 AND subjects_indexed > 0;
UPDATE ledger_state SET history_runs = 1;
DROP TABLE ledger_subjects_before_runs;
