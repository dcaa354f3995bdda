-- The access decision's one read (store/src/decisions.rs, facts_of) answered from two
-- covering indexes (index-only scans), as on SQLite.
CREATE INDEX subjects_by_iin_index ON subjects (iin_index) INCLUDE (id);
CREATE INDEX consents_facts ON consents (subject_id, organization_id)
    INCLUDE (id, version, state, respond_by, valid_from, valid_until, purpose_id, terms);
DROP INDEX consents_by_subject_organization;
