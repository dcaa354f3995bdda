-- The access decision's one read (store/src/decisions.rs, facts_of) answered from two
-- covering indexes. Before, it took four B-tree leaves at random: the subject's entry in
-- the unique index on the blind index, the subject's row (only for its id), the entry in
-- consents_by_subject_organization and the consent's row. With millions of subjects those
-- leaves are not in memory, and each is a read from disk.
CREATE INDEX subjects_by_iin_index ON subjects (iin_index, id);
CREATE INDEX consents_facts ON consents
    (subject_id, organization_id, id, version, state, respond_by, valid_from, valid_until, purpose_id, terms);
DROP INDEX consents_by_subject_organization;
